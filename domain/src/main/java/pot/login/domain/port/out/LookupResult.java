package pot.login.domain.port.out;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import pot.login.domain.Rejection;

/** What the portal said about the user behind a token. */
public sealed interface LookupResult {

    record Found(UserProfile profile) implements LookupResult {
        public Found {
            Objects.requireNonNull(profile, "profile");
        }
    }

    /** The portal no longer accepts the token (revoked or expired there): the session is over. */
    record TokenRefused() implements LookupResult {
    }

    /**
     * The portal gave no usable answer.
     *
     * @param reason one of {@link #REASONS}: a lookup has no state or code to refuse
     * @param detail a short, safe explanation for logs; never the token
     */
    record Failed(Rejection reason, String detail) implements LookupResult {

        public static final Set<Rejection> REASONS = EnumSet.of(Rejection.PORTAL_UNAVAILABLE, Rejection.PORTAL_TIMEOUT,
                Rejection.PORTAL_BAD_RESPONSE);

        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            if (!REASONS.contains(reason)) {
                throw new IllegalArgumentException("a user lookup cannot fail with " + reason.code());
            }
        }
    }
}
