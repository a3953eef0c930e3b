package pot.login.adapters.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the Redis server is and how long to wait for it. Both waits are bounded: a store that does not answer must
 * fail the login closed within them, not hold the request (and a server thread) until the browser gives up.
 *
 * @param uri            {@code redis://host:port} (or {@code rediss://} for TLS), with a password if the server wants one
 * @param connectTimeout how long to wait for a TCP connection
 * @param commandTimeout how long to wait for the answer to one command
 */
public record RedisSettings(URI uri, Duration connectTimeout, Duration commandTimeout) {

    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the Redis URI is not redis:// or rediss://: " + redacted(uri));
        }
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(commandTimeout, "command timeout");
    }

    /** The URI for messages and logs: a password in it stays out of both. */
    public String redacted() {
        return redacted(uri);
    }

    /** A Redis URI for messages and logs, without its user and password. */
    public static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the Redis " + name + " is not positive: " + timeout);
        }
    }
}
