package pot.login.domain.port.out;

import java.time.Instant;
import java.util.Objects;

/** The claims of a token that passed verification: who it is, and until when. */
public record VerifiedToken(String subject, Instant expiresAt) {

    public VerifiedToken {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
