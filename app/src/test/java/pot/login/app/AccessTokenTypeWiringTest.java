package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pot.login.adapters.portal.RequiredTokenType;

/**
 * {@code pot-login.require-access-token-type} puts the RFC 9068 type rule in front of the one signature check that
 * micronaut-security-jwt knows (so the session cookie is held to it too), and is off by default.
 */
class AccessTokenTypeWiringTest {

    @Test
    void switched_on_the_only_signature_check_requires_the_access_token_type() {
        try (ApplicationContext context = start(Map.of("pot-login.require-access-token-type", true))) {
            assertThat(context.getBeansOfType(SignatureConfiguration.class)).singleElement()
                    .isInstanceOf(RequiredTokenType.class);
        }
    }

    @Test
    void by_default_no_type_is_required() {
        try (ApplicationContext context = start(Map.of())) {
            assertThat(context.getBeansOfType(SignatureConfiguration.class)).singleElement()
                    .isNotInstanceOf(RequiredTokenType.class);
        }
    }

    private static ApplicationContext start(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("pot-login.api-root", "http://127.0.0.1:1");
        settings.put("pot-login.client-id", "typ-test-client");
        settings.put("pot-login.state.signing-key-id", "test-1");
        settings.put("pot-login.state.keys.test-1", ProductionSettingsCheckTest.STRONG);
        settings.putAll(extra);
        return ApplicationContext.builder().deduceEnvironment(false).properties(settings).start();
    }
}
