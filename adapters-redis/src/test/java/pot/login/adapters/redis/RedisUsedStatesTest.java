package pot.login.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UsedStatesContract;

/** The port's contract against a real redis-server, and what only a server-side store can get wrong. */
class RedisUsedStatesTest extends UsedStatesContract {

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
    void closeStores() throws Exception {
        for (AutoCloseable store : opened) {
            store.close();
        }
    }

    @Override
    protected UsedStates newStore() {
        admin().flushall();
        return open(redis.uri(), PATIENT);
    }

    /** For real: a second server, paused, so the command is written and never answered. */
    @Override
    protected Optional<UsedStates> unavailableStore() {
        RedisServer paused = RedisServer.start();
        opened.add(paused);
        RedisUsedStates store = open(paused.uri());
        assertThat(store.markUsed("warm-up", Instant.now().plusSeconds(60))).isEqualTo(new MarkResult.Marked());
        paused.pause();
        return Optional.of(store);
    }

    @Test
    void marks_one_namespaced_key_that_expires_with_the_state_and_stores_nothing_else() {
        UsedStates store = newStore();
        Instant expiry = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);

        store.markUsed("nonce-1", expiry);

        assertThat(admin().keys("*")).containsExactly("pot-login:used-state:nonce-1");
        assertThat(admin().get("pot-login:used-state:nonce-1")).isEqualTo("1");
        assertThat(admin().pexpiretime("pot-login:used-state:nonce-1")).isEqualTo(expiry.toEpochMilli());
    }

    @Test
    void a_refused_connection_is_unavailable_within_the_timeout() {
        RedisUsedStates store = open(URI.create("redis://127.0.0.1:" + RedisServer.freePort()));

        assertUnavailableWithinTheTimeout(store);
    }

    @Test
    void a_server_that_answers_garbage_is_unavailable_within_the_timeout() throws IOException {
        try (ServerSocket garbage = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = Thread.ofVirtual().start(() -> {
                while (!garbage.isClosed()) {
                    try (Socket client = garbage.accept(); OutputStream out = client.getOutputStream()) {
                        out.write("HTTP/1.1 400 Bad Request\r\n\r\n:x\r\n$-7\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(FAILS_WITHIN.toMillis());
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            RedisUsedStates store = open(URI.create("redis://127.0.0.1:" + garbage.getLocalPort()));

            assertUnavailableWithinTheTimeout(store);
            answering.interrupt();
        }
    }

    @Test
    void a_server_stopped_mid_run_is_unavailable_and_the_next_use_after_it_is_back_works() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedisUsedStates store = open(own.uri());
            Instant expiry = Instant.now().plusSeconds(60);
            assertThat(store.markUsed("before", expiry)).isEqualTo(new MarkResult.Marked());

            own.stop();
            assertUnavailableWithinTheTimeout(store);

            own.startAgain();
            assertThat(markedWithin(store, "after", Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void a_paused_server_is_unavailable_within_the_timeout_and_answers_again_once_resumed() throws Exception {
        try (RedisServer own = RedisServer.start()) {
            RedisUsedStates store = open(own.uri());
            assertThat(store.markUsed("before", Instant.now().plusSeconds(60))).isEqualTo(new MarkResult.Marked());

            own.pause();
            assertUnavailableWithinTheTimeout(store);
            assertUnavailableWithinTheTimeout(store);

            own.resume();
            assertThat(markedWithin(store, "after", Duration.ofSeconds(5))).isTrue();
            assertThat(store.markUsed("before", Instant.now().plusSeconds(60)))
                    .isEqualTo(new MarkResult.AlreadyUsed());
        }
    }

    @Test
    void an_outage_is_logged_once_when_it_starts_and_once_when_it_ends_and_never_with_a_state_id() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisUsedStates.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (RedisServer own = RedisServer.start()) {
            RedisUsedStates store = open(own.uri());
            store.markUsed("secret-looking-id-0", Instant.now().plusSeconds(60));

            own.pause();
            for (int i = 1; i <= 3; i++) {
                assertThat(store.markUsed("secret-looking-id-" + i, Instant.now().plusSeconds(60)))
                        .isInstanceOf(MarkResult.Unavailable.class);
            }
            own.resume();
            assertThat(markedWithin(store, "secret-looking-id-4", Duration.ofSeconds(5))).isTrue();
            store.markUsed("secret-looking-id-5", Instant.now().plusSeconds(60));
        } finally {
            logger.detachAppender(lines);
        }

        assertThat(lines.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(line -> line.contains("secret-looking-id"));
    }

    private static void assertUnavailableWithinTheTimeout(UsedStates store) {
        long start = System.nanoTime();
        MarkResult result = store.markUsed("nonce-" + start, Instant.now().plusSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result).isInstanceOf(MarkResult.Unavailable.class);
        assertThat(((MarkResult.Unavailable) result).detail()).doesNotContain("nonce-");
        assertThat(took).isLessThan(FAILS_WITHIN);
    }

    /** Lettuce reconnects in the background: the first uses after a restart may still find it down. */
    private static boolean markedWithin(UsedStates store, String id, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (store.markUsed(id, Instant.now().plusSeconds(60)) instanceof MarkResult.Marked) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private RedisUsedStates open(URI uri) {
        return open(uri, TIMEOUT);
    }

    private RedisUsedStates open(URI uri, Duration timeout) {
        TunedRedisClient client = new TunedRedisClient(new RedisSettings(uri, timeout, timeout));
        opened.add(client);
        return new RedisUsedStates(client.connection());
    }

    private static RedisCommands<String, String> admin() {
        return redis.admin();
    }
}
