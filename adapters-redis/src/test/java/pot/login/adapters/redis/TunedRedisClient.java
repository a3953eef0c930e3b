package pot.login.adapters.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;

/**
 * A Lettuce client set up as the app sets up micronaut-redis-lettuce's ({@link LettuceTuning}), for the adapters'
 * tests; closing it ends its connection.
 */
public final class TunedRedisClient implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisConnection connection;

    public TunedRedisClient(RedisSettings settings) {
        this.resources = LettuceTuning.reconnectSoon(ClientResources.builder()).build();
        this.client = RedisClient.create(resources, LettuceTuning.redisUri(settings));
        client.setOptions(LettuceTuning.clientOptions(settings));
        this.connection = new RedisConnection(client::connect, settings.redacted());
    }

    /** The adapters' connection: made on first use, as in the app. */
    public RedisConnection connection() {
        return connection;
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
