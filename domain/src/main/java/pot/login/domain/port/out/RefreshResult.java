package pot.login.domain.port.out;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;

/** What the provider made of a refresh token. */
public sealed interface RefreshResult {

    /**
     * @param expiresIn    the new access token's {@code expires_in}, positive; empty when the response has none
     *                     (RFC 6749 §5.1 only RECOMMENDS it): the token's verified {@code exp} bounds it then
     * @param refreshToken the rotated refresh token, empty when the provider keeps the old one (RFC 6749 §6)
     * @param idToken      the new ID token, empty when the response has none
     */
    record Issued(AccessToken token, Optional<Duration> expiresIn, Optional<RefreshToken> refreshToken,
                  Optional<IdToken> idToken) implements RefreshResult {
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresIn, "expiresIn");
            Objects.requireNonNull(refreshToken, "refreshToken");
            Objects.requireNonNull(idToken, "idToken");
            expiresIn.ifPresent(lifetime -> {
                if (lifetime.isNegative() || lifetime.isZero()) {
                    throw new IllegalArgumentException("an issued token must live for some time, got " + lifetime);
                }
            });
        }

        /** A response with {@code expires_in}. */
        public Issued(AccessToken token, Duration expiresIn, Optional<RefreshToken> refreshToken,
                      Optional<IdToken> idToken) {
            this(token, Optional.of(expiresIn), refreshToken, idToken);
        }
    }

    /**
     * {@code invalid_grant}: the refresh token is expired, revoked or already rotated away. The session is over.
     *
     * @param detail a short, safe explanation for logs; never the token
     */
    record Refused(String detail) implements RefreshResult {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The provider could not answer, or answered what we cannot use: the session is not over, a later request may
     * renew it.
     *
     * @param detail a short, safe explanation for logs; never the token
     */
    record Failed(ExchangeFailure reason, String detail) implements RefreshResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
