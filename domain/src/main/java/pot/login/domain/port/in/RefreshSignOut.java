package pot.login.domain.port.in;

import java.util.Objects;
import java.util.Optional;
import pot.login.domain.RefreshToken;

/** What sign-out made of the refresh cookie it received (ADR-0007): the cookie itself is cleared in every case. */
public sealed interface RefreshSignOut {

    /** The refresh token to revoke at the provider (RFC 7009), where the cookie held one. */
    Optional<RefreshToken> toRevoke();

    /** No refresh cookie, or one that does not open (tampered, forged, stale key), or sessions do not renew. */
    record NothingToEnd() implements RefreshSignOut {
        @Override
        public Optional<RefreshToken> toRevoke() {
            return Optional.empty();
        }
    }

    /** The refresh session is recorded as signed out: a copy of any of its refresh cookies renews nothing now. */
    record Ended(RefreshToken token) implements RefreshSignOut {
        public Ended {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public Optional<RefreshToken> toRevoke() {
            return Optional.of(token);
        }
    }

    /**
     * The store could not record the sign-out: a copy of the refresh cookie renews until the provider refuses its
     * token (revoked, if it revokes) or the session's absolute lifetime is over.
     *
     * @param detail a short, safe explanation for logs; never the token or the session id
     */
    record CookieClearedOnly(RefreshToken token, String detail) implements RefreshSignOut {
        public CookieClearedOnly {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public Optional<RefreshToken> toRevoke() {
            return Optional.of(token);
        }
    }
}
