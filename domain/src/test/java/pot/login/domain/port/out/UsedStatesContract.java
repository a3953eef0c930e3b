package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsedStates} adapter must do. An adapter's test extends this class and says how to make a fresh,
 * empty store, what time it is for the adapter, and how to move that time on.
 *
 * <p>The contract relies on time only this far: an entry is remembered until its {@code expiresAt}. It never waits for
 * an entry to be forgotten, so a store that expires entries by a clock no test can move (a Redis server's) passes it
 * as well as one that reads the adapter's clock (Caffeine's ticker). Forgetting after expiry is each adapter's own
 * test, with whatever time it can control.
 */
public abstract class UsedStatesContract {

    protected static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

    /** Threads that race for one state: more than the cores, so that some are preempted inside {@code markUsed}. */
    private static final int CONTENDERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Rounds of the race, each for a state of its own: a lost race is rare in one round, not in thousands. */
    private static final int ROUNDS = 2_000;
    /** Time for the threads a barrier released to wake up before they start together. */
    private static final long START_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    /** A new, empty store. */
    protected abstract UsedStates newStore();

    /**
     * Moves on the time the adapter reads (the clock it was given). A store that keeps time itself need not follow:
     * the contract only checks that entries are still there after this.
     */
    protected abstract void advance(Duration duration);

    /** The adapter's now: expiries in this contract are counted from it. */
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

    /**
     * Two copies of one callback arriving together (a double click, a replaying attacker racing the user) must not
     * both exchange the code. In every round all contenders wait at a barrier and then start at one instant, so
     * that they really race: a store that checks and then marks in two steps lets a second one through.
     */
    @Test
    void lets_exactly_one_of_many_racing_uses_of_a_state_through_in_every_round() throws Exception {
        UsedStates store = newStore();
        Instant expiry = now().plus(Duration.ofMinutes(10));
        String[] states = new String[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            states[round] = "contested-" + round;
        }
        AtomicIntegerArray winners = new AtomicIntegerArray(ROUNDS);
        AtomicLong startAt = new AtomicLong();
        CyclicBarrier lineUp = new CyclicBarrier(CONTENDERS, () -> startAt.set(System.nanoTime() + START_DELAY_NANOS));
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            List<Future<?>> contenders = new ArrayList<>();
            for (int contender = 0; contender < CONTENDERS; contender++) {
                contenders.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        lineUp.await(30, TimeUnit.SECONDS);
                        // A barrier lets its threads go one after another (each takes its lock again); spinning to a
                        // common instant starts those that are running within nanoseconds of each other.
                        long start = startAt.get();
                        while (System.nanoTime() - start < 0) {
                            Thread.onSpinWait();
                        }
                        if (store.markUsed(states[round], expiry)) {
                            winners.incrementAndGet(round);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> contender : contenders) {
                contender.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<Integer, Integer> lostRaces = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (winners.get(round) != 1) {
                lostRaces.put(round, winners.get(round));
            }
        }
        assertThat(lostRaces).as("%d of %d rounds let other than one use through (round=uses)", lostRaces.size(),
                ROUNDS).isEmpty();
    }
}
