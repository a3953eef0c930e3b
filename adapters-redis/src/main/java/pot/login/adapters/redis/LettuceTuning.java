package pot.login.adapters.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How the Lettuce client of the Redis adapters must be set up so that a store that does not answer fails closed
 * within {@link RedisSettings}' timeouts. The app applies it to the client that micronaut-redis-lettuce makes; the
 * adapters' tests apply it to theirs, so both run the same client.
 */
public final class LettuceTuning {

    /** Reconnect soon after Redis is back; Lettuce's default backoff grows to 30 s, failing closed that long. */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS);

    private LettuceTuning() {
    }

    /** The server's address, with the command timeout as the wait of a synchronous command. */
    public static RedisURI redisUri(RedisSettings settings) {
        RedisURI uri = RedisURI.create(settings.uri());
        uri.setTimeout(settings.commandTimeout());
        return uri;
    }

    /** The client's reconnect delay: short, so that the stores answer again soon after an outage. */
    public static ClientResources.Builder reconnectSoon(ClientResources.Builder resources) {
        return resources.reconnectDelay(RECONNECT_DELAY);
    }

    /**
     * Commands are refused at once while the connection is down instead of queued (a queue would hold each request
     * until Redis is back); Lettuce reconnects by itself.
     */
    public static ClientOptions clientOptions(RedisSettings settings) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                // Also times out a command written to a connection that the server no longer reads (SIGSTOP, a
                // dead peer): TCP alone would wait for minutes.
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build();
    }
}
