package pot.login.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.SignedOutSessionsContract;

/** The port's contract against a real redis-server, and what only a server-side store can get wrong. */
class RedisSignedOutSessionsTest extends SignedOutSessionsContract {

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** The timeout plus what a loaded 2-core machine adds to one failed round trip. */
    private static final Duration FAILS_WITHIN = TIMEOUT.plusSeconds(1);
    /**
     * The healthy server's cases judge answers, not time: a loaded build machine can hold one round trip past the
     * short timeout, which would turn a right answer into a flaky {@code Unavailable}. The outage cases keep it short.
     */
    private static final Duration PATIENT = Duration.ofSeconds(10);

    private static RedisServer redis;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeConnections() throws Exception {
        for (AutoCloseable connection : opened) {
            connection.close();
        }
    }

    @Override
    protected SignedOutSessions newStore() {
        admin().flushall();
        return new RedisSignedOutSessions(connect(redis.uri(), PATIENT));
    }

    /** For real: a second server, paused, so the command is written and never answered. */
    @Override
    protected Optional<SignedOutSessions> unavailableStore() {
        RedisServer paused = RedisServer.start();
        opened.add(paused);
        RedisSignedOutSessions store = new RedisSignedOutSessions(connect(paused.uri()));
        assertThat(store.check(session("warm-up"))).isEqualTo(new SignOutCheck.NotSignedOut());
        paused.pause();
        return Optional.of(store);
    }

    @Test
    void remembers_one_namespaced_key_per_session_that_expires_with_its_token_and_stores_nothing_else() {
        SignedOutSessions store = newStore();
        SessionId session = session("token-1");
        Instant until = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);

        store.remember(session, until);

        String key = "pot-login:signed-out:" + session.value();
        assertThat(admin().keys("*")).containsExactly(key);
        assertThat(admin().get(key)).isEqualTo("1");
        assertThat(admin().pexpiretime(key)).isEqualTo(until.toEpochMilli());
    }

    @Test
    void a_sign_out_at_one_instance_holds_at_another_that_shares_the_redis() {
        admin().flushall();
        SignedOutSessions instanceA = new RedisSignedOutSessions(connect(redis.uri()));
        SignedOutSessions instanceB = new RedisSignedOutSessions(connect(redis.uri()));

        instanceA.remember(session("token-1"), Instant.now().plus(Duration.ofMinutes(10)));

        assertThat(instanceB.check(session("token-1"))).isEqualTo(new SignOutCheck.SignedOut());
    }

    @Test
    void the_used_states_and_the_signed_out_sessions_share_one_connection_to_redis() {
        admin().flushall();
        long before = clients();
        RedisConnection connection = connect(redis.uri());
        RedisUsedStates usedStates = new RedisUsedStates(connection);
        RedisSignedOutSessions signedOut = new RedisSignedOutSessions(connection);

        assertThat(usedStates.markUsed("nonce-1", Instant.now().plusSeconds(60))).isEqualTo(new MarkResult.Marked());
        assertThat(signedOut.remember(session("token-1"), Instant.now().plusSeconds(60)))
                .isEqualTo(new RememberResult.Remembered());

        assertThat(clients()).isEqualTo(before + 1);
    }

    @Test
    void a_refused_connection_is_unavailable_within_the_timeout() {
        RedisSignedOutSessions store = new RedisSignedOutSessions(
                connect(URI.create("redis://127.0.0.1:" + RedisServer.freePort())));

        assertUnavailableWithinTheTimeout(store);
    }

    @Test
    void a_paused_server_is_unavailable_within_the_timeout_and_answers_again_once_resumed() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedisSignedOutSessions store = new RedisSignedOutSessions(connect(own.uri()));
            assertThat(store.remember(session("before"), Instant.now().plusSeconds(60)))
                    .isEqualTo(new RememberResult.Remembered());

            own.pause();
            assertUnavailableWithinTheTimeout(store);

            own.resume();
            assertThat(checkedWithin(store, session("before"), Duration.ofSeconds(5)))
                    .isEqualTo(new SignOutCheck.SignedOut());
        }
    }

    @Test
    void an_outage_is_logged_once_when_it_starts_and_once_when_it_ends_and_never_with_a_session_id()
            throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisSignedOutSessions.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        List<String> ids = new ArrayList<>();
        try (RedisServer own = RedisServer.start()) {
            RedisSignedOutSessions store = new RedisSignedOutSessions(connect(own.uri()));
            store.check(session("token-0"));

            own.pause();
            for (int i = 1; i <= 3; i++) {
                SessionId session = session("token-" + i);
                ids.add(session.value());
                assertThat(store.remember(session, Instant.now().plusSeconds(60)))
                        .isInstanceOf(RememberResult.Unavailable.class);
                assertThat(store.check(session)).isInstanceOf(SignOutCheck.Unavailable.class);
            }
            own.resume();
            assertThat(checkedWithin(store, session("token-4"), Duration.ofSeconds(5)))
                    .isEqualTo(new SignOutCheck.NotSignedOut());
            store.check(session("token-5"));
        } finally {
            logger.detachAppender(lines);
        }

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> ids.stream().anyMatch(line::contains));
    }

    private static void assertUnavailableWithinTheTimeout(SignedOutSessions store) {
        SessionId session = session("token-" + System.nanoTime());
        long start = System.nanoTime();
        RememberResult remembered = store.remember(session, Instant.now().plusSeconds(60));
        SignOutCheck checked = store.check(session);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(remembered).isInstanceOf(RememberResult.Unavailable.class);
        assertThat(((RememberResult.Unavailable) remembered).detail()).doesNotContain(session.value());
        assertThat(checked).isInstanceOf(SignOutCheck.Unavailable.class);
        assertThat(((SignOutCheck.Unavailable) checked).detail()).doesNotContain(session.value());
        assertThat(took).as("two commands").isLessThan(FAILS_WITHIN.multipliedBy(2));
    }

    /** Lettuce reconnects in the background: the first uses after a resume may still find it down. */
    private static SignOutCheck checkedWithin(SignedOutSessions store, SessionId session, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        SignOutCheck check = store.check(session);
        while (check instanceof SignOutCheck.Unavailable && System.nanoTime() < deadline) {
            Thread.sleep(50);
            check = store.check(session);
        }
        return check;
    }

    /** Connected clients, less the admin connection's own. */
    private static long clients() {
        return admin().clientList().lines().count();
    }

    private RedisConnection connect(URI uri) {
        return connect(uri, TIMEOUT);
    }

    private RedisConnection connect(URI uri, Duration timeout) {
        TunedRedisClient client = new TunedRedisClient(new RedisSettings(uri, timeout, timeout));
        opened.add(client);
        return client.connection();
    }

    private static RedisCommands<String, String> admin() {
        return redis.admin();
    }
}
