package pot.login.domain.port.out;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The verdict on an ID token. */
public sealed interface IdTokenResult {

    /** Signature and claims hold; the flow still compares nonce and subject with this login's. */
    record Verified(VerifiedIdToken token) implements IdTokenResult {
        public Verified {
            Objects.requireNonNull(token, "token");
        }
    }

    /** The token is not one to trust: forged, for another client, from another issuer, or expired. */
    record Refused(IdTokenCheck check) implements IdTokenResult {
        public Refused {
            Objects.requireNonNull(check, "check");
        }
    }

    /**
     * The provider's keys could not be loaded, so no token can be judged: an outage, not a forgery.
     *
     * @param detail a short, safe explanation for logs; never the token
     */
    record Unavailable(String detail) implements IdTokenResult {
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The claims the flow decides on.
     *
     * @param subject the {@code sub}, never blank
     * @param nonce     the {@code nonce}, empty when the token has none
     * @param expiresAt the {@code exp}: until then the token passes the checks a session token must pass too
     */
    record VerifiedIdToken(String subject, Optional<String> nonce, Instant expiresAt) {
        public VerifiedIdToken {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(nonce, "nonce");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (subject.isBlank()) {
                throw new IllegalArgumentException("a verified ID token has a subject");
            }
        }
    }
}
