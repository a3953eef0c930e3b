package pot.login.domain.port.out;

import java.util.Objects;

/** The verdict on a token the portal issued. */
public sealed interface VerificationResult {

    record Verified(VerifiedToken token) implements VerificationResult {
        public Verified {
            Objects.requireNonNull(token, "token");
        }
    }

    /** The token is not one to trust: forged, for someone else, or expired. */
    record Refused(TokenCheck check) implements VerificationResult {
        public Refused {
            Objects.requireNonNull(check, "check");
        }
    }

    /**
     * The portal's keys could not be loaded, so no token can be judged: an outage, not a forgery.
     *
     * @param detail a short, safe explanation for logs; never the token
     */
    record Unavailable(String detail) implements VerificationResult {
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
