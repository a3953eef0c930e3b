package pot.login.domain.port.in;

import java.time.Instant;
import java.util.Objects;
import pot.login.domain.Rejection;
import pot.login.domain.port.out.UserProfile;

/** Who the signed-in user is, or why we cannot say. */
public sealed interface Identity {

    record Known(UserProfile profile, Instant sessionEndsAt) implements Identity {
        public Known {
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(sessionEndsAt, "sessionEndsAt");
        }
    }

    /** The portal no longer accepts the session's token: the user must sign in again. */
    record SessionOver() implements Identity {
    }

    record Unavailable(Rejection reason) implements Identity {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
