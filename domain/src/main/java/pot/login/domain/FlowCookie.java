package pot.login.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * The cookie that ties one login to the browser that started it: {@code /login} sets it, {@code /login/complete}
 * requires it. One per login, named after the login, so several tabs can each sign in.
 *
 * <p>What binds is that only this browser holds the cookie: with the {@code __Host-} prefix no other site or subdomain
 * can set it, so an attacker cannot plant their own login's cookie in a victim's browser. {@code SameSite=Lax}, not
 * Strict, because the callback is a top-level navigation from the portal's site, on which Lax cookies are sent.
 */
public record FlowCookie(String name, String value, Duration maxAge) {

    public static final String PREFIX = "__Host-pot-flow-";
    public static final boolean HTTP_ONLY = true;
    public static final boolean SECURE = true;
    public static final String SAME_SITE = "Lax";
    public static final String PATH = "/";

    public FlowCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(maxAge, "maxAge");
        if (!name.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a flow cookie's name starts with " + PREFIX);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge is never negative");
        }
    }

    public static boolean isFlowCookie(String name) {
        return name != null && name.startsWith(PREFIX);
    }

    /** The same cookie, emptied and expired, with identical attributes so the browser drops it. */
    public FlowCookie cleared() {
        return new FlowCookie(name, "", Duration.ZERO);
    }
}
