package pot.login.domain.port.in;

import java.util.Objects;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;
import pot.login.domain.SessionCookie;

/** How a callback ended: signed in, or refused with a reason. Nothing in between. */
public sealed interface LoginOutcome {

    /**
     * @param session  the cookie to set
     * @param landing  where the browser goes next
     * @param subject  who signed in (the token's {@code sub}), for the log
     */
    record Completed(SessionCookie session, ReturnPath landing, String subject) implements LoginOutcome {
        public Completed {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(landing, "landing");
            Objects.requireNonNull(subject, "subject");
        }
    }

    /**
     * @param reason why, with its stable code
     * @param detail a short, safe explanation for logs; never a secret, a code or a token
     */
    record Rejected(Rejection reason, String detail) implements LoginOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
