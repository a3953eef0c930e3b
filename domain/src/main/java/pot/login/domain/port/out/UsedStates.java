package pot.login.domain.port.out;

import java.time.Instant;

/**
 * The states that have already been used, so that each is accepted once. Entries need to be kept only until the state
 * expires: after that the state is refused for its age anyway. Implementations shared by several app instances make
 * replay fail across all of them.
 */
public interface UsedStates {

    /**
     * Records the use of a state, atomically.
     *
     * @param stateId   a stable id of the state (its nonce), never the state itself
     * @param expiresAt when the state expires; the entry may be forgotten after that
     * @return {@link MarkResult.Marked} the first time for this id, {@link MarkResult.AlreadyUsed} on every later call
     *         until {@code expiresAt}, {@link MarkResult.Unavailable} when the store cannot answer (never an exception)
     */
    MarkResult markUsed(String stateId, Instant expiresAt);
}
