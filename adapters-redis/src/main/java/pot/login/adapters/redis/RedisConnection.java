package pot.login.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one Lettuce connection to Redis that every Redis adapter of an app uses (Lettuce's connection is thread-safe).
 * Its client is set up by {@link LettuceTuning}, so that a store that does not answer fails closed within the
 * timeouts of {@link RedisSettings}.
 *
 * <p>The connection is made on first use, and again if that first try failed, so the app starts (and {@code /login}
 * works) while Redis is down. Whoever made the connection closes it: that ends it for every adapter that uses it.
 */
public final class RedisConnection {

    private final Supplier<StatefulRedisConnection<String, String>> connect;
    private final String redacted;
    private final Object connecting = new Object();
    private volatile StatefulRedisConnection<String, String> connection;

    /**
     * @param connect  connects to Redis (once it succeeded it is not called again), or throws a RedisException
     * @param redacted the server's address for logs, without a password ({@link RedisSettings#redacted()})
     */
    public RedisConnection(Supplier<StatefulRedisConnection<String, String>> connect, String redacted) {
        this.connect = Objects.requireNonNull(connect, "connect");
        this.redacted = Objects.requireNonNull(redacted, "redacted");
    }

    /** The server's address for logs, without a password. */
    String redacted() {
        return redacted;
    }

    /**
     * PING on the shared connection, for a readiness check: bounded by the connect and command timeouts, as every
     * command of the stores is.
     *
     * @throws RedisException when Redis does not answer within them
     */
    public String ping() {
        return commands().ping();
    }

    /**
     * The commands of the shared connection, made on first use and again if that first try failed.
     *
     * @throws RedisException when Redis cannot be reached within the connect timeout
     */
    RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            synchronized (connecting) {
                if (connection == null) {
                    connection = Objects.requireNonNull(connect.get(), "the connection to Redis");
                }
                current = connection;
            }
        }
        return current.sync();
    }
}
