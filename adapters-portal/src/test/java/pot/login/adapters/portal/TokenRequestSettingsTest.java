package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.domain.Secret;

class TokenRequestSettingsTest {

    static final Secret SECRET = Secret.of("pot-login.client-secret", "a-very-secret-value");
    static final URI REDIRECT_URI = URI.create("http://localhost:8080/login/complete");

    static TokenRequestSettings settings(String tokenPath, String clientId, URI redirectUri) {
        return new TokenRequestSettings(tokenPath, clientId, SECRET, redirectUri, ClientAuthentication.CLIENT_SECRET_POST);
    }

    @Test
    void does_not_show_the_secret_in_its_text() {
        assertThat(settings("/api/auth/v1/oauth/token/request", "demo", REDIRECT_URI).toString())
                .doesNotContain("a-very-secret-value")
                .contains("demo", "/api/auth/v1/oauth/token/request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "token", "//evil.example/token", "https://evil.example/token", "/token request"})
    void refuses_a_token_path_that_could_send_the_secret_off_the_portal(String tokenPath) {
        assertThatIllegalArgumentException().isThrownBy(() -> settings(tokenPath, "demo", REDIRECT_URI));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://tokens.example/token", "file:/etc/passwd", "token", "//evil.example/token"})
    void refuses_a_token_endpoint_that_is_neither_an_http_url_nor_a_path_on_the_portal(String endpoint) {
        assertThatIllegalArgumentException().isThrownBy(() -> new TokenRequestSettings(URI.create(endpoint), "demo",
                SECRET, REDIRECT_URI, ClientAuthentication.CLIENT_SECRET_POST));
    }

    @Test
    void accepts_the_absolute_https_token_endpoint_a_discovery_document_names() {
        URI endpoint = URI.create("https://tokens.example/realms/x/token");
        assertThat(new TokenRequestSettings(endpoint, "demo", SECRET, REDIRECT_URI,
                ClientAuthentication.CLIENT_SECRET_POST).tokenEndpoint()).isEqualTo(endpoint);
    }

    @Test
    void refuses_a_blank_client_id() {
        assertThatIllegalArgumentException().isThrownBy(() -> settings("/token", " ", REDIRECT_URI));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login/complete", "http://localhost:8080/login/complete#x"})
    void refuses_a_redirect_uri_the_portal_could_not_have_registered(String redirectUri) {
        assertThatIllegalArgumentException().isThrownBy(() -> settings("/token", "demo", URI.create(redirectUri)));
    }
}
