package pot.login.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The cookie that ties one login to the browser that started it: {@code /login} sets it, {@code /login/complete}
 * requires it. One per login, named after the login, so several tabs can each sign in.
 *
 * <p>What binds is a secret that only this browser holds (ADR-0005): the value carries a random secret whose digest
 * the state carries, and nothing in any URL reveals it. HttpOnly keeps it from scripts; the {@code __Host-} prefix keeps
 * any other site or subdomain from setting one, so an attacker cannot plant their own login's cookie in a victim's
 * browser. {@code SameSite=Lax}, not Strict, because the callback is a top-level navigation from the portal's site,
 * on which Lax cookies are sent.
 */
public record FlowCookie(String name, String value, Duration maxAge) {

    public static final String PREFIX = "__Host-pot-flow-";
    public static final boolean HTTP_ONLY = true;
    public static final boolean SECURE = true;
    public static final String SAME_SITE = "Lax";
    public static final String PATH = "/";
    /** Exactly the names this app issues: the prefix and an 8-character login id. Any other name is not ours. */
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{8}");

    public FlowCookie {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(maxAge, "maxAge");
        if (!isFlowCookie(name)) {
            throw new IllegalArgumentException("not a flow cookie name: " + name);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge is negative: " + maxAge);
        }
    }

    /**
     * Whether a cookie name is one this app could have issued. Only those are read, and only those are ever written
     * back: a name the client made up may hold characters that are not legal in a {@code Set-Cookie}.
     */
    public static boolean isFlowCookie(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The same cookie, emptied and expired, with identical attributes so the browser drops it. */
    public FlowCookie cleared() {
        return new FlowCookie(name, "", Duration.ZERO);
    }

    @Override
    public String toString() {
        // The value carries the login's secret.
        return "FlowCookie[name=" + name + ", value=" + (value.isEmpty() ? "empty" : "hidden") + ", maxAge=" + maxAge
                + "]";
    }
}
