package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where the management endpoints listen by default (docs/operations.md): production on a port of their own, so that
 * the Prometheus scrape is off the public routes; the sandbox on the app's port, which binds localhost only.
 * HealthSystemTest shows what a management port does to the routes.
 */
class ManagementPlacementTest {

    @Test
    void production_serves_the_management_endpoints_on_port_8085_and_the_app_on_8080() {
        Map<String, Object> settings = ProductionSettingsCheckTest.production();
        settings.remove("micronaut.server.port");
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .environments(Application.PRODUCTION).properties(settings).start()) {
            assertThat(context.getProperty("endpoints.all.port", Integer.class)).hasValue(8085);
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).hasValue(8080);
        }
    }

    @Test
    void the_sandbox_serves_them_on_the_apps_own_port_bound_to_localhost() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
                .environments(Application.SANDBOX).properties(Map.of(PotLoginConfiguration.SANDBOX_START, false))
                .start()) {
            assertThat(context.getProperty("endpoints.all.port", Integer.class)).isEmpty();
            assertThat(context.getProperty("micronaut.server.host", String.class)).hasValue("localhost");
        }
    }
}
