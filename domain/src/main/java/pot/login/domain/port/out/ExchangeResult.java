package pot.login.domain.port.out;

import java.time.Duration;
import java.util.Objects;
import pot.login.domain.AccessToken;

/** What the portal made of a code. */
public sealed interface ExchangeResult {

    /**
     * @param token     the login token
     * @param expiresIn how long the portal says it lives ({@code expires_in}); always positive
     */
    record Issued(AccessToken token, Duration expiresIn) implements ExchangeResult {
        public Issued {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(expiresIn, "expiresIn");
            if (expiresIn.isNegative() || expiresIn.isZero()) {
                throw new IllegalArgumentException("an issued token must live for some time, got " + expiresIn);
            }
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
