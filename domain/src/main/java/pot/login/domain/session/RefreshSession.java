package pot.login.domain.session;

import java.time.Instant;
import java.util.Objects;
import pot.login.domain.RefreshToken;

/**
 * What the encrypted refresh cookie holds (ADR-0007).
 *
 * @param subject    the user the session was signed in as: every renewed token must name the same one
 * @param signedInAt when the user signed in; fixed for the session's whole life, so renewals cannot extend it
 * @param id         random, made at sign-in and kept through every renewal and rotation: sign-out records it, so
 *                   that a copy of any of the session's refresh cookies renews nothing afterwards
 */
public record RefreshSession(RefreshToken token, String subject, Instant signedInAt, String id) {

    public RefreshSession {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(signedInAt, "signedInAt");
        Objects.requireNonNull(id, "id");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("the refresh session's subject is blank");
        }
        if (id.isBlank()) {
            throw new IllegalArgumentException("the refresh session's id is blank");
        }
    }

    @Override
    public String toString() {
        return "RefreshSession[hidden, signedInAt=" + signedInAt + "]";
    }
}
