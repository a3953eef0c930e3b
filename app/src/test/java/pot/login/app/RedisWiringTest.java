package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Redis beans each store makes: the memory store (the default) must not so much as define one. */
class RedisWiringTest {

    @Test
    void a_memory_store_defines_no_redis_bean_and_starts_with_no_redis_settings() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", -1),
                Application.SANDBOX)) {
            assertThat(redisBeans(context)).isEmpty();
        }
    }

    @Test
    void a_redis_store_starts_while_redis_is_unreachable_and_makes_one_client_of_the_apps_own() {
        try (ApplicationContext context = redisStore()) {
            assertThat(context.getBeanDefinitions(RedisClient.class))
                    .extracting(definition -> (Object) definition.getDeclaringType().orElseThrow())
                    .containsExactly(LoginWiring.class);
            assertThat(redisBeans(context)).noneMatch(definition -> definition.getBeanType().getPackageName()
                    .startsWith("io.micronaut.configuration.lettuce"));
        }
    }

    @Test
    void the_redis_client_fails_fast_with_the_apps_timeouts_and_reconnects_soon() {
        try (ApplicationContext context = redisStore()) {
            RedisClient client = context.getBean(RedisClient.class);
            ClientOptions options = client.getOptions();
            TimeoutOptions.TimeoutSource commandTimeout = options.getTimeoutOptions().getSource();

            assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
            assertThat(options.getSocketOptions().getConnectTimeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
            assertThat(commandTimeout.getTimeUnit().toMillis(commandTimeout.getTimeout(null))).isEqualTo(300);
            // Lettuce's default backoff reaches 30 s.
            assertThat(client.getResources().reconnectDelay().createDelay(30)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    private static ApplicationContext redisStore() {
        return ApplicationContext.run(Map.of("micronaut.server.port", -1, "pot-login.store", "redis",
                "pot-login.redis.uri", "redis://127.0.0.1:1", "pot-login.redis.connect-timeout", "250ms",
                "pot-login.redis.command-timeout", "300ms"), Application.SANDBOX);
    }

    private static List<BeanDefinition<?>> redisBeans(ApplicationContext context) {
        return context.getAllBeanDefinitions().stream()
                .filter(definition -> definition.getBeanType().getName().matches(
                        "(io\\.lettuce|io\\.micronaut\\.configuration\\.lettuce|pot\\.login\\.adapters\\.redis)\\..*")
                        || definition.getDeclaringType().map(type -> type.getPackageName()
                        .startsWith("io.micronaut.configuration.lettuce")).orElse(false))
                .<BeanDefinition<?>>map(definition -> definition)
                .toList();
    }
}
