package pot.login.domain.port.out;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;

/** What the portal made of a code. */
public sealed interface ExchangeResult {

    /**
     * @param token     the login token
     * @param expiresIn how long the portal says it lives ({@code expires_in}); always positive
     * @param idToken   the OpenID Connect {@code id_token} of the response, empty when it has none
     * @param refreshToken the {@code refresh_token} of the response, empty when it has none (Platform of Trust's)
     */
    record Issued(AccessToken token, Duration expiresIn, Optional<IdToken> idToken,
                  Optional<RefreshToken> refreshToken) implements ExchangeResult {
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresIn, "expiresIn");
            Objects.requireNonNull(idToken, "idToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            if (expiresIn.isNegative() || expiresIn.isZero()) {
                throw new IllegalArgumentException("an issued token must live for some time, got " + expiresIn);
            }
        }

        /** A response without a refresh token. */
        public Issued(AccessToken token, Duration expiresIn, Optional<IdToken> idToken) {
            this(token, expiresIn, idToken, Optional.empty());
        }

        /** A response without an ID token, as a plain OAuth 2.0 portal (Platform of Trust's) sends. */
        public Issued(AccessToken token, Duration expiresIn) {
            this(token, expiresIn, Optional.empty());
        }
    }

    /**
     * @param reason why, among the reasons an exchange can have
     * @param detail a short, safe explanation for logs and operators (e.g. the RFC 6749 error code); never a secret
     */
    record Failed(ExchangeFailure reason, String detail) implements ExchangeResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
