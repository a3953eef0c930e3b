package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UsedStatesContract;

class CaffeineUsedStatesTest extends UsedStatesContract {

    private final MovableClock clock = new MovableClock(START);

    @Override
    protected UsedStates newStore() {
        return new CaffeineUsedStates(10_000, clock);
    }

    @Override
    protected void advance(Duration duration) {
        clock.advance(duration);
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Test
    void forgets_a_state_once_it_has_expired_so_memory_stays_bounded_in_time() {
        CaffeineUsedStates store = new CaffeineUsedStates(10_000, clock);
        for (int i = 0; i < 1_000; i++) {
            store.markUsed("nonce-" + i, now().plus(Duration.ofMinutes(10)));
        }
        assertThat(store.size()).isEqualTo(1_000);

        advance(Duration.ofMinutes(10).plusSeconds(1));

        assertThat(store.size()).isZero();
    }

    @Test
    void never_holds_more_than_its_maximum_size() {
        CaffeineUsedStates store = new CaffeineUsedStates(100, clock);
        for (int i = 0; i < 10_000; i++) {
            store.markUsed("nonce-" + i, now().plus(Duration.ofMinutes(10)));
        }

        assertThat(store.size()).isLessThanOrEqualTo(100);
    }
}
