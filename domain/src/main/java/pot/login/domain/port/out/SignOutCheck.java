package pot.login.domain.port.out;

import java.util.Objects;

/** Whether a session was signed out, as the signed-out-session store knows it. */
public sealed interface SignOutCheck {

    /** Signed out before its expiry: its cookie must not be accepted again. */
    record SignedOut() implements SignOutCheck {
    }

    /** Not remembered as signed out. */
    record NotSignedOut() implements SignOutCheck {
    }

    /**
     * The store could not answer: the session may or may not have been signed out.
     *
     * @param detail a short, safe explanation for logs; never the session id
     */
    record Unavailable(String detail) implements SignOutCheck {
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
