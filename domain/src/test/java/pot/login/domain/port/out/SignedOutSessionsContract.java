package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.SessionId;

/**
 * What every {@link SignedOutSessions} adapter must do. An adapter's test extends this class and says how to make a
 * fresh, empty store; it may also declare the clock the store honours and a store that is down.
 *
 * <p>Time: as in {@link UsedStatesContract}, real time with lifetimes of a second or two by default, because a
 * server-side store (Redis) expires entries on its own clock; an adapter that reads a clock it was given may declare
 * that clock in {@link #time()}, and the same cases then run without waiting.
 */
public abstract class SignedOutSessionsContract {

    /** Threads that sign out and check at once: more than the cores, so that some are preempted inside the store. */
    private static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final int SESSIONS_PER_THREAD = 500;
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
    protected abstract SignedOutSessions newStore();

    /** The time the store goes by: real time unless the adapter declares a clock it honours. */
    protected StoreTime time() {
        return REAL_TIME;
    }

    /** A store that cannot answer, or empty when the adapter has no outage to simulate (the case is then skipped). */
    protected Optional<SignedOutSessions> unavailableStore() {
        return Optional.empty();
    }

    /** Why {@link #unavailableStore()} is empty, for the skipped case's report. */
    protected String whyNoOutage() {
        return "this adapter cannot simulate an outage";
    }

    protected static SessionId session(String token) {
        return SessionId.of(new AccessToken(token));
    }

    @Test
    void a_session_is_not_signed_out_until_it_is_remembered_and_signed_out_after() {
        SignedOutSessions store = newStore();

        assertThat(store.check(session("token-1"))).isEqualTo(new SignOutCheck.NotSignedOut());
        assertThat(store.remember(session("token-1"), time().now().plus(Duration.ofMinutes(10))))
                .isEqualTo(new RememberResult.Remembered());
        assertThat(store.check(session("token-1"))).isEqualTo(new SignOutCheck.SignedOut());
    }

    @Test
    void remembering_a_session_twice_is_no_error_and_it_stays_signed_out() {
        SignedOutSessions store = newStore();
        Instant until = time().now().plus(Duration.ofMinutes(10));

        assertThat(store.remember(session("token-1"), until)).isEqualTo(new RememberResult.Remembered());
        assertThat(store.remember(session("token-1"), until)).isEqualTo(new RememberResult.Remembered());
        assertThat(store.check(session("token-1"))).isEqualTo(new SignOutCheck.SignedOut());
    }

    @Test
    void signing_out_one_session_leaves_another_signed_in() {
        SignedOutSessions store = newStore();
        store.remember(session("token-1"), time().now().plus(Duration.ofMinutes(10)));

        assertThat(store.check(session("token-2"))).isEqualTo(new SignOutCheck.NotSignedOut());
    }

    @Test
    void a_session_is_remembered_until_its_token_expires() throws InterruptedException {
        SignedOutSessions store = newStore();
        store.remember(session("token-1"), time().now().plus(LIFETIME.multipliedBy(2)));

        time().pass(LIFETIME);

        assertThat(store.check(session("token-1"))).isEqualTo(new SignOutCheck.SignedOut());
    }

    @Test
    void a_session_is_forgotten_once_its_token_has_expired() throws InterruptedException {
        SignedOutSessions store = newStore();
        store.remember(session("token-1"), time().now().plus(LIFETIME));

        time().pass(LIFETIME.plusMillis(500));

        // Forgotten: a token that old is refused for its expiry before the store is asked.
        assertThat(store.check(session("token-1"))).isEqualTo(new SignOutCheck.NotSignedOut());
    }

    @Test
    void an_outage_is_unavailable_and_never_an_exception() {
        Optional<SignedOutSessions> down = unavailableStore();
        assumeTrue(down.isPresent(), whyNoOutage());

        assertThat(down.get().remember(session("token-1"), time().now().plus(Duration.ofMinutes(10))))
                .isInstanceOf(RememberResult.Unavailable.class);
        assertThat(down.get().check(session("token-1"))).isInstanceOf(SignOutCheck.Unavailable.class);
    }

    /**
     * Many users signing out while their other tabs keep asking: every sign-out is remembered, and each session is
     * signed out only once its own sign-out is done, never because of another's.
     */
    @Test
    void concurrent_sign_outs_and_checks_each_affect_only_their_own_session() throws Exception {
        SignedOutSessions store = newStore();
        Instant until = time().now().plus(Duration.ofMinutes(10));
        CyclicBarrier lineUp = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<String> wrong = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> users = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int user = thread;
                users.add(pool.submit(() -> {
                    lineUp.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < SESSIONS_PER_THREAD; i++) {
                        SessionId mine = session("user-" + user + "-token-" + i);
                        if (!(store.check(mine) instanceof SignOutCheck.NotSignedOut)) {
                            wrong.add(mine + " signed out before its sign-out");
                        }
                        if (!(store.remember(mine, until) instanceof RememberResult.Remembered)) {
                            wrong.add(mine + " not remembered");
                        }
                        if (!(store.check(mine) instanceof SignOutCheck.SignedOut)) {
                            wrong.add(mine + " not signed out after its sign-out");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> user : users) {
                user.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(wrong).isEmpty();
        for (int user = 0; user < THREADS; user++) {
            for (int i = 0; i < SESSIONS_PER_THREAD; i++) {
                assertThat(store.check(session("user-" + user + "-token-" + i)))
                        .isEqualTo(new SignOutCheck.SignedOut());
            }
        }
    }
}
