package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pot.login.adapters.portal.ClientAuthentication;
import pot.login.adapters.portal.ProviderEndpoints;

class DiscoveredSettingsCheckTest {

    static ProviderEndpoints provider(List<String> challenges, List<String> authMethods) {
        return new ProviderEndpoints("https://idp.example", URI.create("https://idp.example/authorize"),
                URI.create("https://idp.example/token"), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), challenges, authMethods, false);
    }

    @Test
    void pkce_against_a_provider_that_lists_no_s256_is_refused_naming_the_setting() {
        assertThat(DiscoveredSettingsCheck.problems(true, ClientAuthentication.CLIENT_SECRET_POST,
                provider(List.of("plain"), List.of()))).containsExactly("pot-login.pkce (POT_LOGIN_PKCE) is true but "
                + "the provider's code_challenge_methods_supported has no S256: [plain]");
        assertThat(DiscoveredSettingsCheck.problems(false, ClientAuthentication.CLIENT_SECRET_POST,
                provider(List.of("plain"), List.of()))).isEmpty();
    }

    @Test
    void a_client_authentication_the_provider_does_not_list_is_refused_naming_the_setting() {
        assertThat(DiscoveredSettingsCheck.problems(true, ClientAuthentication.CLIENT_SECRET_POST,
                provider(List.of("S256"), List.of("client_secret_basic", "private_key_jwt")))).containsExactly(
                "pot-login.client-authentication (POT_LOGIN_CLIENT_AUTHENTICATION) is client_secret_post but the "
                        + "provider's token_endpoint_auth_methods_supported is [client_secret_basic, private_key_jwt]");
    }

    @Test
    void a_provider_that_lists_nothing_or_what_we_use_raises_no_problem() {
        assertThat(DiscoveredSettingsCheck.problems(true, ClientAuthentication.CLIENT_SECRET_BASIC,
                provider(List.of(), List.of()))).isEmpty();
        assertThat(DiscoveredSettingsCheck.problems(true, ClientAuthentication.CLIENT_SECRET_BASIC,
                provider(List.of("S256"), List.of("client_secret_basic")))).isEmpty();
    }
}
