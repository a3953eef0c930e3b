package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.inject.BeanDefinition;
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
        try (ApplicationContext context = ApplicationContext.run(Map.of("micronaut.server.port", -1,
                "pot-login.store", "redis", "pot-login.redis.uri", "redis://127.0.0.1:1"), Application.SANDBOX)) {
            assertThat(context.getBeanDefinitions(io.lettuce.core.RedisClient.class))
                    .extracting(definition -> (Object) definition.getDeclaringType().orElseThrow())
                    .containsExactly(LoginWiring.class);
            assertThat(redisBeans(context)).noneMatch(definition -> definition.getBeanType().getPackageName()
                    .startsWith("io.micronaut.configuration.lettuce"));
        }
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
