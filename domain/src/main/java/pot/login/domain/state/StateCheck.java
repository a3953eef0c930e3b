package pot.login.domain.state;

import java.util.Objects;
import pot.login.domain.Rejection;

/** The verdict on a state that came back from the browser. */
public sealed interface StateCheck {

    /** Authentic, within its age: the claims can be trusted. */
    record Valid(StateClaims claims) implements StateCheck {
        public Valid {
            Objects.requireNonNull(claims, "claims");
        }
    }

    /** Not to be trusted, and why. */
    record Refused(Rejection reason) implements StateCheck {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
