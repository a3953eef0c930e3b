package pot.login.domain.port.out;

import java.util.Objects;

/** What the signed-out-session store made of a sign-out. */
public sealed interface RememberResult {

    /** The session is remembered as signed out until its expiry (also when it already was). */
    record Remembered() implements RememberResult {
    }

    /**
     * The store could not answer: the sign-out may not have been recorded.
     *
     * @param detail a short, safe explanation for logs; never the session id
     */
    record Unavailable(String detail) implements RememberResult {
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
