package pot.login.app.system;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import pot.login.adapters.store.CaffeineUsedStates;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.UsedStates;

/**
 * The app's own used-state store with a switch that takes it down, in the two ways a store can be down: answering
 * {@link MarkResult.Unavailable}, as an adapter that knows it is cut off does, or throwing, as a client library does
 * when its connection is gone. Only where a test asks for it ({@code test.used-states=faulty}).
 */
@Singleton
@Replaces(UsedStates.class)
@Requires(property = "test.used-states", value = "faulty")
final class FaultyUsedStates implements UsedStates {

    enum Mode { UP, UNAVAILABLE, THROWS }

    static volatile Mode mode = Mode.UP;

    private final UsedStates store = new CaffeineUsedStates(1_000, Clock.systemUTC());

    @Override
    public MarkResult markUsed(String stateId, Instant expiresAt) {
        return switch (mode) {
            case UP -> store.markUsed(stateId, expiresAt);
            case UNAVAILABLE -> new MarkResult.Unavailable("connection refused");
            case THROWS -> throw new IllegalStateException("connection reset while marking " + stateId);
        };
    }
}
