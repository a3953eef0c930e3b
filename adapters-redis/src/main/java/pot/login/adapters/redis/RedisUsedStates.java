package pot.login.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.UsedStates;

/**
 * Used states in Redis, shared by every app instance: a state replayed at another instance is refused there too.
 *
 * <p>Marking is one command, {@code SET pot-login:used-state:<id> 1 NX PXAT <expiry>}: Redis runs it atomically, so of
 * any number of racing uses exactly one gets {@code OK}; a check and a mark in two commands would let two through.
 * The key expires with the state on Redis's own clock and nothing else is stored.
 *
 * <p>It fails closed and fast: every wait is bounded by {@link RedisSettings}, commands are refused at once while the
 * connection is down instead of queued (a queue would hold each login until Redis is back), and any fault is
 * {@link MarkResult.Unavailable}. A command that timed out may still be run by a server that was only slow, so that
 * state may later count as used: the login is then refused as a replay, closed either way. Lettuce reconnects by itself; the first connection is made on first use, so the app
 * starts (and {@code /login} works) while Redis is down.
 */
public final class RedisUsedStates implements UsedStates, AutoCloseable {

    static final String KEY_PREFIX = "pot-login:used-state:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisUsedStates.class);
    /** Redis's success answer to SET; NX answers nil when the key exists. */
    private static final String OK = "OK";
    /** Reconnect soon after Redis is back; Lettuce's default backoff grows to 30 s, refusing logins that long. */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
            java.util.concurrent.TimeUnit.MILLISECONDS);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final Object connecting = new Object();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisUsedStates(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.resources = ClientResources.builder().reconnectDelay(RECONNECT_DELAY).build();
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.commandTimeout());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                // Also times out a command written to a connection that the server no longer reads (SIGSTOP, a
                // dead peer): TCP alone would wait for minutes.
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
    }

    @Override
    public MarkResult markUsed(String stateId, Instant expiresAt) {
        Objects.requireNonNull(stateId, "stateId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        try {
            String answer = connection().sync().set(KEY_PREFIX + stateId, "1", SetArgs.Builder.nx().pxAt(expiresAt));
            MarkResult result = answer == null ? new MarkResult.AlreadyUsed()
                    : OK.equals(answer) ? new MarkResult.Marked() : null;
            if (result == null) {
                return unavailable("an answer to SET that is neither OK nor nil");
            }
            if (down.compareAndSet(true, false)) {
                LOG.info("The Redis used-state store at {} answers again", settings.redacted());
            }
            return result;
        } catch (RedisException | IllegalStateException | UnsupportedOperationException e) {
            // Class name only: Lettuce's messages may quote the command, and with it a state's id.
            return unavailable(e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } finally {
            resources.shutdown();
        }
    }

    private MarkResult unavailable(String why) {
        if (down.compareAndSet(false, true)) {
            LOG.warn("The Redis used-state store at {} does not answer ({}): logins fail closed until it does",
                    settings.redacted(), why);
        }
        return new MarkResult.Unavailable("Redis did not answer: " + why);
    }

    /** The one shared connection (Lettuce's is thread-safe), made on first use and again if that first try failed. */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (connecting) {
            if (connection == null) {
                connection = client.connect();
            }
            return connection;
        }
    }
}
