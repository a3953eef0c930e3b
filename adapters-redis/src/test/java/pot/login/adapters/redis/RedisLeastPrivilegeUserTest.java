package pot.login.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;

/**
 * The adapters as a Redis ACL user that may run only the two commands they send, on their own keys: the line that
 * docs/configuration.md gives an operator. A stolen app password then cannot read, change or delete other data.
 */
class RedisLeastPrivilegeUserTest {

    private static final String USER = "pot-login";
    private static final String PASSWORD = "a-redis-password-0123456789abcdef";
    /**
     * docs/configuration.md's {@code ACL SETUSER pot-login on >… ~pot-login:* resetchannels -@all +set +exists}.
     * Lettuce's handshake ({@code HELLO 3 AUTH …}) needs no grant: Redis lets every connection authenticate.
     */
    private static final List<String> RULES = List.of("on", ">" + PASSWORD, "~pot-login:*", "resetchannels",
            "-@all", "+set", "+exists");
    private static final Duration TIMEOUT = Duration.ofMillis(500);
    private static final String OTHER_KEY = "billing:invoice:1";

    private static RedisServer redis;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        CommandArgs<String, String> setUser = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(USER);
        RULES.forEach(setUser::add);
        assertThat(admin().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), setUser)).isEqualTo("OK");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable client : opened) {
            client.close();
        }
        admin().aclLogReset();
    }

    @Test
    void both_stores_work_as_a_user_that_may_only_set_and_test_pot_login_keys() {
        RedisConnection connection = connect(userUri(redis));
        RedisUsedStates usedStates = new RedisUsedStates(connection);
        RedisSignedOutSessions signedOut = new RedisSignedOutSessions(connection);
        SessionId session = new SessionId("s".repeat(SessionId.LENGTH));
        Instant expiry = Instant.now().plusSeconds(60);

        assertThat(usedStates.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.Marked());
        assertThat(usedStates.markUsed("nonce-1", expiry)).isEqualTo(new MarkResult.AlreadyUsed());
        assertThat(signedOut.check(session)).isEqualTo(new SignOutCheck.NotSignedOut());
        assertThat(signedOut.remember(session, expiry)).isEqualTo(new RememberResult.Remembered());
        assertThat(signedOut.check(session)).isEqualTo(new SignOutCheck.SignedOut());
        assertThat(admin().aclLog()).as("nothing the adapters sent was refused").isEmpty();
    }

    @Test
    void with_its_password_nothing_outside_pot_login_keys_can_be_read_written_or_deleted_nor_its_own_keys_deleted() {
        admin().set(OTHER_KEY, "42");
        admin().set("pot-login:used-state:nonce-2", "1");
        RedisClient client = RedisClient.create(userUri(redis).toString());
        opened.add(client::shutdown);
        RedisCommands<String, String> stolen = client.connect().sync();

        List<Consumer<RedisCommands<String, String>>> refused = List.of(
                commands -> commands.get(OTHER_KEY),
                commands -> commands.set(OTHER_KEY, "0"),
                commands -> commands.exists(OTHER_KEY),
                commands -> commands.del(OTHER_KEY),
                commands -> commands.del("pot-login:used-state:nonce-2"),
                commands -> commands.get("pot-login:used-state:nonce-2"),
                commands -> commands.keys("*"),
                commands -> commands.scan(),
                commands -> commands.flushall(),
                commands -> commands.configGet("*"),
                commands -> commands.aclList());
        for (Consumer<RedisCommands<String, String>> command : refused) {
            assertThatThrownBy(() -> command.accept(stolen)).isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("NOPERM");
        }
        assertThat(admin().get(OTHER_KEY)).isEqualTo("42");
        assertThat(admin().exists("pot-login:used-state:nonce-2")).isEqualTo(1);
    }

    /**
     * What a stolen password still allows, as docs/security.md says: SET may overwrite a pot-login key, and an expiry
     * in the past removes it. Redis's ACLs cannot allow SET only with NX. So a thief who also holds a state id can
     * unmark it; the replay still needs the browser's flow cookie and a code the portal has not redeemed.
     */
    @Test
    void its_password_can_still_overwrite_a_mark_with_an_expiry_in_the_past() {
        admin().set("pot-login:used-state:nonce-3", "1");
        RedisClient client = RedisClient.create(userUri(redis).toString());
        opened.add(client::shutdown);

        client.connect().sync().set("pot-login:used-state:nonce-3", "1",
                SetArgs.Builder.pxAt(Instant.now().minusSeconds(1)));

        assertThat(admin().exists("pot-login:used-state:nonce-3")).isZero();
    }

    @Test
    void the_password_never_reaches_a_log_line_when_the_store_is_down_or_the_password_is_wrong() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        root.addAppender(lines);
        List<Object> results = new ArrayList<>();
        try (RedisServer own = RedisServer.start()) {
            CommandArgs<String, String> setUser = new CommandArgs<>(StringCodec.UTF8).add("SETUSER").add(USER);
            RULES.forEach(setUser::add);
            RedisClient ownAdmin = RedisClient.create(own.uri().toString());
            try (StatefulRedisConnection<String, String> connection = ownAdmin.connect()) {
                connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), setUser);
            } finally {
                ownAdmin.shutdown();
            }
            RedisUsedStates store = new RedisUsedStates(connect(userUri(own)));
            results.add(store.markUsed("nonce-4", Instant.now().plusSeconds(60)));
            own.pause();
            results.add(store.markUsed("nonce-5", Instant.now().plusSeconds(60)));
            own.resume();

            URI wrongPassword = URI.create("redis://" + USER + ":" + PASSWORD + "-but-wrong@127.0.0.1:" + own.port());
            results.add(new RedisSignedOutSessions(connect(wrongPassword))
                    .check(new SessionId("w".repeat(SessionId.LENGTH))));
        } finally {
            root.detachAppender(lines);
        }

        assertThat(results).extracting(result -> result.getClass().getSimpleName())
                .containsExactly("Marked", "Unavailable", "Unavailable");
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).as("the outages, by redacted URI")
                .hasSize(2).allMatch(line -> line.contains(" at redis://127.0.0.1:"));
        assertThat(lines.list).allSatisfy(line -> assertThat(line.getFormattedMessage()
                + (line.getThrowableProxy() == null ? "" : line.getThrowableProxy().getMessage()))
                .doesNotContain(PASSWORD).doesNotContain(USER + ":"));
        assertThat(results).allSatisfy(result -> assertThat(result.toString()).doesNotContain(PASSWORD));
    }

    private static URI userUri(RedisServer server) {
        return URI.create("redis://" + USER + ":" + PASSWORD + "@127.0.0.1:" + server.port());
    }

    private RedisConnection connect(URI uri) {
        TunedRedisClient client = new TunedRedisClient(new RedisSettings(uri, TIMEOUT, TIMEOUT));
        opened.add(client);
        return client.connection();
    }

    private static RedisCommands<String, String> admin() {
        return redis.admin();
    }
}
