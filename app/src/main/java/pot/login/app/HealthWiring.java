package pot.login.app;

import io.micronaut.configuration.lettuce.health.RedisHealthIndicator;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import pot.login.adapters.redis.RedisConnection;

/**
 * The readiness indicators of micronaut-management's {@code /health/readiness} (and {@code /health}): the app is
 * ready while it can verify the portal's tokens and reach its store. Neither is a liveness indicator: a portal that is
 * down must take instances out of the load balancer, never make the platform restart them (docs/operations.md).
 */
@Factory
class HealthWiring {

    /** The keys that verify tokens: the PEM key (read at start), or the JWKS through verification's own cache. */
    @Singleton
    @Named("portal-keys")
    HealthIndicator portalKeysHealth(PortalKeys keys, PotLoginConfiguration config, Clock clock,
                                     @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        return cached("portal-keys", () -> keys.signature().keysAtHand(), config, clock, executor);
    }

    /**
     * The store of used states and signed-out sessions: PING through the stores' own connection to Redis, within its
     * timeouts; the memory store is this process. Replaces micronaut-redis-lettuce's indicator, should it be active
     * (it opens a new connection on every probe and retries for seconds); HealthSystemTest sees no such indicator and
     * no new connection per probe.
     */
    @Singleton
    @Named("store")
    @Replaces(RedisHealthIndicator.class)
    HealthIndicator storeHealth(PotLoginConfiguration config, BeanProvider<RedisConnection> redis, Clock clock,
                                @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        CachedHealthIndicator.DependencyCheck check = switch (config.store()) {
            case MEMORY -> () -> "memory";
            case REDIS -> () -> "redis: " + redis.get().ping();
        };
        return cached("store", check, config, clock, executor);
    }

    private static HealthIndicator cached(String name, CachedHealthIndicator.DependencyCheck check,
                                          PotLoginConfiguration config, Clock clock, ExecutorService executor) {
        PotLoginConfiguration.Health health = config.health();
        return new CachedHealthIndicator(name, check, health.cacheTtl(), health.timeout(), clock, executor);
    }
}
