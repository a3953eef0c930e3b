package pot.login.domain.port.out;

import java.util.Objects;

/** What the used-state store made of a state's use. */
public sealed interface MarkResult {

    /** The first use: the state is now marked used. */
    record Marked() implements MarkResult {
    }

    /** Used before (and not yet expired). */
    record AlreadyUsed() implements MarkResult {
    }

    /**
     * The store could not answer: the state may or may not have been used before, and may or may not be marked now
     * (a remote store can carry out a command whose answer never arrived).
     *
     * @param detail a short, safe explanation for logs; never the state
     */
    record Unavailable(String detail) implements MarkResult {
        public Unavailable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
