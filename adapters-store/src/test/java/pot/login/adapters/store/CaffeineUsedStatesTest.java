package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UsedStatesContract;

class CaffeineUsedStatesTest extends UsedStatesContract {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @Override
    protected UsedStates newStore() {
        return new CaffeineUsedStates(10_000, clock);
    }

    /** Caffeine expires by the ticker the adapter builds from its clock: the contract may move that clock. */
    @Override
    protected StoreTime time() {
        return new StoreTime() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public void pass(Duration duration) {
                clock.advance(duration);
            }
        };
    }

    @Override
    protected String whyNoOutage() {
        return "Caffeine keeps the used states in this process's memory: there is no outage to simulate";
    }

    /** The contract in real time, as a store with its own clock runs it: Caffeine with the system clock passes too. */
    @Nested
    class OnTheSystemClock extends UsedStatesContract {
        @Override
        protected UsedStates newStore() {
            return new CaffeineUsedStates(10_000, Clock.systemUTC());
        }

        @Override
        protected String whyNoOutage() {
            return CaffeineUsedStatesTest.this.whyNoOutage();
        }
    }

    @Test
    void forgets_a_state_once_it_has_expired_so_memory_stays_bounded_in_time() {
        CaffeineUsedStates store = new CaffeineUsedStates(10_000, clock);
        for (int i = 0; i < 1_000; i++) {
            store.markUsed("nonce-" + i, clock.instant().plus(Duration.ofMinutes(10)));
        }
        assertThat(store.size()).isEqualTo(1_000);

        clock.advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThat(store.size()).isZero();
    }

    @Test
    void never_holds_more_than_its_maximum_size() {
        CaffeineUsedStates store = new CaffeineUsedStates(100, clock);
        for (int i = 0; i < 10_000; i++) {
            store.markUsed("nonce-" + i, clock.instant().plus(Duration.ofMinutes(10)));
        }

        assertThat(store.size()).isLessThanOrEqualTo(100);
    }
}
