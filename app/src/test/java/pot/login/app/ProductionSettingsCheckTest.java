package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProductionSettingsCheckTest {

    static final String STRONG = "a-real-secret-from-the-vault-0123456789abcdef";

    @Test
    void production_refuses_to_start_without_a_client_secret_and_names_it() {
        Map<String, Object> settings = production();
        settings.remove("pot-login.client-secret");

        assertThatThrownBy(() -> ApplicationContext.run(settings, Application.PRODUCTION).close())
                .hasStackTraceContaining("pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is missing");
    }

    @Test
    void production_refuses_the_demo_secrets_of_the_sandbox_setup() {
        Map<String, Object> settings = production();
        settings.put("pot-login.client-secret", "demo-only-client-secret-do-not-use-in-production");

        assertThatThrownBy(() -> ApplicationContext.run(settings, Application.PRODUCTION).close())
                .hasStackTraceContaining("pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is a demo value");
    }

    @Test
    void production_refuses_a_state_key_shorter_than_32_bytes() {
        Map<String, Object> settings = production();
        settings.put("pot-login.state.keys.k1", "only-31-bytes-long-0123456789ab");

        assertThatThrownBy(() -> ApplicationContext.run(settings, Application.PRODUCTION).close())
                .hasStackTraceContaining("pot-login.state.keys.k1 is shorter than 32 bytes");
    }

    @Test
    void production_refuses_to_run_next_to_the_sandbox() {
        assertThatThrownBy(() -> ApplicationContext.run(production(), Application.PRODUCTION, Application.SANDBOX)
                .close())
                .hasStackTraceContaining("the sandbox environment is active too");
    }

    @Test
    void production_starts_with_strong_secrets_from_the_environment() {
        try (ApplicationContext context = ApplicationContext.run(production(), Application.PRODUCTION)) {
            assertThat(context.getBean(ProductionSettingsCheck.class)).isNotNull();
        }
    }

    @Test
    void no_message_about_a_weak_secret_quotes_the_secret() {
        PotLoginConfiguration config = new PotLoginConfiguration();
        config.setClientSecret("short-secret");
        config.getState().setKeys(Map.of("k1", "demo-only-key"));

        assertThat(String.join(" ", ProductionSettingsCheck.problems(config, false)))
                .contains("shorter than 32 bytes", "is a demo value")
                .doesNotContain("short-secret", "demo-only-key");
    }

    private static Map<String, Object> production() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("pot-login.client-id", "client-1");
        settings.put("pot-login.client-secret", STRONG);
        settings.put("pot-login.redirect-uri", "https://app.example/login/complete");
        settings.put("pot-login.state.signing-key-id", "k1");
        settings.put("pot-login.state.keys.k1", STRONG + "-state");
        // No server in these tests, so no portal is needed.
        settings.put("micronaut.server.port", -1);
        return settings;
    }
}
