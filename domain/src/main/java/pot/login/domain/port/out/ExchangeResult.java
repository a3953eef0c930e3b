package pot.login.domain.port.out;

import java.util.Objects;
import pot.login.domain.AccessToken;
import pot.login.domain.Rejection;

/** What the portal made of a code. */
public sealed interface ExchangeResult {

    record Issued(AccessToken token) implements ExchangeResult {
        public Issued {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * @param reason one of the code or portal reasons
     * @param detail a short, safe explanation for logs and operators (e.g. the RFC 6749 error code); never a secret
     */
    record Failed(Rejection reason, String detail) implements ExchangeResult {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
