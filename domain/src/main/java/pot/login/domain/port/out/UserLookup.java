package pot.login.domain.port.out;

import java.util.Objects;
import pot.login.domain.Rejection;

/** The portal's answer about the user behind a token. */
public sealed interface UserLookup {

    record Found(UserProfile profile) implements UserLookup {
        public Found {
            Objects.requireNonNull(profile, "profile");
        }
    }

    /** The portal no longer accepts the token (revoked or expired there): the session is over. */
    record TokenRefused() implements UserLookup {
    }

    record Failed(Rejection reason, String detail) implements UserLookup {
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
