package pot.login.domain.session;

import java.time.Duration;
import java.util.Objects;

/**
 * @param sessionCookieName step 8's cookie, holding the access token
 * @param refreshCookieName the encrypted refresh cookie (a {@code __Host-} name)
 * @param renewBefore       an access token that expires within this renews now, so that a request under way does not
 *                          meet an expired token at the portal; also how long a renewal's result is shared with the
 *                          requests that left the browser before its new cookies arrived
 * @param maxLifetime       the absolute session lifetime from sign-in: no renewal goes past it
 */
public record RenewalSettings(String sessionCookieName, String refreshCookieName, Duration renewBefore,
                              Duration maxLifetime) {

    public RenewalSettings {
        Objects.requireNonNull(sessionCookieName, "sessionCookieName");
        Objects.requireNonNull(refreshCookieName, "refreshCookieName");
        Objects.requireNonNull(renewBefore, "renewBefore");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        if (!refreshCookieName.startsWith("__Host-")) {
            throw new IllegalArgumentException("the refresh cookie name does not start with __Host-: "
                    + refreshCookieName);
        }
        if (refreshCookieName.equals(sessionCookieName)) {
            throw new IllegalArgumentException("the refresh cookie has the session cookie's name: " + refreshCookieName);
        }
        if (renewBefore.isNegative()) {
            throw new IllegalArgumentException("renew-before is negative: " + renewBefore);
        }
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("the session's max lifetime is not positive: " + maxLifetime);
        }
    }
}
