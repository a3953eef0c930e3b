package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * empty store; it may also declare the clock the store honours and a store that is down.
 *
 * <p>Time: by default the contract uses real time, with lifetimes of a second or two, because a server-side store
 * (Redis) expires entries on its own clock, which no test can move. An adapter that reads a clock it was given (the
 * Caffeine ticker) may declare that clock in {@link #time()}, and the same cases then run without waiting.
 */
public abstract class UsedStatesContract {

    /** Threads that race for one state: more than the cores, so that some are preempted inside {@code markUsed}. */
    private static final int CONTENDERS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    /** Rounds of the race, each for a state of its own: a lost race is rare in one round, not in thousands. */
    private static final int ROUNDS = 2_000;
    /** Time for the threads a barrier released to wake up before they start together. */
    private static final long START_DELAY_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** Short enough to wait for in real time, long enough for a store's round trips (and a busy CI machine). */
    private static final Duration LIFETIME = Duration.ofMillis(1500);

    /** The time a store goes by. */
    protected interface StoreTime {
        Instant now();

        /** Lets the duration pass for the store: moves the clock it honours, or waits. */
        void pass(Duration duration) throws InterruptedException;
    }

    /** Real time: what a store that keeps its own clock goes by. */
    protected static final StoreTime REAL_TIME = new StoreTime() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void pass(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };

    /** A new, empty store. */
    protected abstract UsedStates newStore();

    /** The time the store goes by: real time unless the adapter declares a clock it honours. */
    protected StoreTime time() {
        return REAL_TIME;
    }

    /**
     * A store that cannot answer (its server stopped, its connection cut), or empty when the adapter has no outage to
     * simulate; the outage case is then skipped, with the reason given here.
     */
    protected Optional<UsedStates> unavailableStore() {
        return Optional.empty();
    }

    /** Why {@link #unavailableStore()} is empty, for the skipped case's report. */
    protected String whyNoOutage() {
        return "this adapter cannot simulate an outage";
    }

    @Test
    void a_state_is_marked_the_first_time_and_already_used_after() {
        UsedStates store = newStore();
        Instant expiry = time().now().plus(Duration.ofMinutes(10));

        assertThat(store.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.Marked());
        assertThat(store.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.AlreadyUsed());
        assertThat(store.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.AlreadyUsed());
    }

    @Test
    void states_are_kept_apart() {
        UsedStates store = newStore();
        Instant expiry = time().now().plus(Duration.ofMinutes(10));

        assertThat(store.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.Marked());
        assertThat(store.markUsed("nonce-2", expiry)).isEqualTo(new MarkResult.Marked());
    }

    @Test
    void a_state_is_remembered_until_it_expires() throws InterruptedException {
        UsedStates store = newStore();
        Instant expiry = time().now().plus(LIFETIME.multipliedBy(2));
        store.markUsed("nonce-1", expiry);

        time().pass(LIFETIME);

        assertThat(store.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.AlreadyUsed());
    }

    @Test
    void a_state_is_forgotten_once_it_has_expired() throws InterruptedException {
        UsedStates store = newStore();
        Instant expiry = time().now().plus(LIFETIME);
        store.markUsed("nonce-1", expiry);

        time().pass(LIFETIME.plusMillis(500));

        // Forgotten, so marked afresh: a state that old is refused for its age before the store is asked.
        assertThat(store.markUsed("nonce-1", time().now().plus(LIFETIME))).isEqualTo(new MarkResult.Marked());
    }

    @Test
    void an_outage_is_unavailable_and_never_an_exception() {
        Optional<UsedStates> down = unavailableStore();
        assumeTrue(down.isPresent(), whyNoOutage());

        assertThat(down.get().markUsed("nonce-1", time().now().plus(Duration.ofMinutes(10))))
                .isInstanceOf(MarkResult.Unavailable.class);
    }

    /**
     * Two copies of one callback arriving together (a double click, a replaying attacker racing the user) must not
     * both exchange the code. In every round all contenders wait at a barrier and then start at one instant, so
     * that they really race: a store that checks and then marks in two steps lets a second one through.
     */
    @Test
    void lets_exactly_one_of_many_racing_uses_of_a_state_through_in_every_round() throws Exception {
        UsedStates store = newStore();
        Instant expiry = time().now().plus(Duration.ofMinutes(10));
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
                        if (store.markUsed(states[round], expiry) instanceof MarkResult.Marked) {
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
