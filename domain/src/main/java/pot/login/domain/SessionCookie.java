package pot.login.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * The cookie of step 8, as the domain decides it: it carries the portal's token, and its attributes are fixed, not
 * configurable, because each one closes an attack (HttpOnly: script theft; Secure: sniffing; SameSite=Strict: CSRF;
 * Path=/ and no Domain: the whole site and only this host).
 */
public record SessionCookie(String name, String value, Duration maxAge) {

    public static final boolean HTTP_ONLY = true;
    public static final boolean SECURE = true;
    public static final String SAME_SITE = "Strict";
    public static final String PATH = "/";

    public SessionCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge is negative: " + maxAge);
        }
    }

    /** The same cookie, emptied and expired: what logout sends, with identical attributes so the browser drops it. */
    public static SessionCookie cleared(String name) {
        return new SessionCookie(name, "", Duration.ZERO);
    }

    /**
     * The cookie that keeps the session's ID token for RP-Initiated Logout's {@code id_token_hint}: named after the
     * session cookie, so that a {@code __Host-} prefix carries over, and with the same attributes.
     */
    public static String idTokenCookieName(String sessionCookieName) {
        return sessionCookieName + "-id";
    }

    @Override
    public String toString() {
        return "SessionCookie[" + name + ", hidden, maxAge=" + maxAge + "]";
    }
}
