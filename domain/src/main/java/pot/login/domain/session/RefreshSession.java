package pot.login.domain.session;

import java.time.Instant;
import java.util.Objects;
import pot.login.domain.RefreshToken;

/**
 * What the encrypted refresh cookie holds (ADR-0007).
 *
 * @param subject    the user the session was signed in as: every renewed token must name the same one
 * @param signedInAt when the user signed in; fixed for the session's whole life, so renewals cannot extend it
 */
public record RefreshSession(RefreshToken token, String subject, Instant signedInAt) {

    public RefreshSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(signedInAt, "signedInAt");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("the refresh session's subject is blank");
        }
    }

    @Override
    public String toString() {
        return "RefreshSession[hidden, signedInAt=" + signedInAt + "]";
    }
}
