package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsedStates} adapter must do. An adapter's test extends this class and says how to make a fresh,
 * empty store; the store's clock is the test's, moved with {@link #advance}.
 */
public abstract class UsedStatesContract {

    protected static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    /** A new, empty store whose notion of now is {@link #now()}. */
    protected abstract UsedStates newStore();

    /** Moves the store's clock forward. */
    protected abstract void advance(Duration duration);

    /** The store's now. */
    protected abstract Instant now();

    @Test
    void accepts_a_state_the_first_time_and_refuses_it_after() {
        UsedStates store = newStore();
        Instant expiry = now().plus(Duration.ofMinutes(10));

        assertThat(store.markUsed("nonce-1", expiry)).isTrue();
        assertThat(store.markUsed("nonce-1", expiry)).isFalse();
        assertThat(store.markUsed("nonce-1", expiry)).isFalse();
    }

    @Test
    void keeps_states_apart() {
        UsedStates store = newStore();
        Instant expiry = now().plus(Duration.ofMinutes(10));

        assertThat(store.markUsed("nonce-1", expiry)).isTrue();
        assertThat(store.markUsed("nonce-2", expiry)).isTrue();
    }

    @Test
    void remembers_a_state_until_it_expires() {
        UsedStates store = newStore();
        Instant expiry = now().plus(Duration.ofMinutes(10));
        store.markUsed("nonce-1", expiry);

        advance(Duration.ofMinutes(9));

        assertThat(store.markUsed("nonce-1", expiry)).isFalse();
    }

    @Test
    void lets_exactly_one_of_many_concurrent_uses_through() throws Exception {
        UsedStates store = newStore();
        Instant expiry = now().plus(Duration.ofMinutes(10));
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                attempts.add(() -> store.markUsed("contested", expiry));
            }
            for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
                if (attempt.get()) {
                    accepted.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(accepted).hasValue(1);
    }
}
