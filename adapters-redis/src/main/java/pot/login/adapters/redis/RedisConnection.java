package pot.login.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The one Lettuce connection to Redis that every Redis adapter of an app uses (Lettuce's connection is thread-safe),
 * with bounded waits: a store that does not answer must fail closed within {@link RedisSettings}' timeouts.
 *
 * <p>Commands are refused at once while the connection is down instead of queued (a queue would hold each request
 * until Redis is back). Lettuce reconnects by itself; the first connection is made on first use, so the app starts
 * (and {@code /login} works) while Redis is down. Closing it ends the connection for every adapter that uses it.
 */
public final class RedisConnection implements AutoCloseable {

    /** Reconnect soon after Redis is back; Lettuce's default backoff grows to 30 s, failing closed that long. */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;

    public RedisConnection(RedisSettings settings) {
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

    /** The server's address for logs, without a password. */
    String redacted() {
        return settings.redacted();
    }

    /**
     * The commands of the shared connection, made on first use and again if that first try failed.
     *
     * @throws io.lettuce.core.RedisException when Redis cannot be reached within the connect timeout
     */
    RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (connecting) {
                if (connection == null) {
                    connection = client.connect();
                }
                current = connection;
            }
        }
        return current.sync();
    }

    @Override
    public void close() {
        try {
            client.shutdown();
        } finally {
            resources.shutdown();
        }
    }
}
