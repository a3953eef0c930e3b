package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;

/**
 * The ID token of an OpenID Connect server written by others: NAV's mock-oauth2-server signs an {@code id_token}
 * with the authorize request's {@code nonce} (OIDC Core §3.1.2.1), and the app verifies it as §3.1.3.7 says, with the
 * nonce its flow cookie yields. The mock logs a user in without a form.
 */
class IdTokenAgainstMockOAuth2ServerTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String ISSUER_ID = "default";
    static final String CLIENT_ID = "pot-login-oidc-interop";

    static MockOAuth2Server mock;
    static EmbeddedServer app;

    @BeforeAll
    static void start() {
        // Every token names us as its audience, as the app's audience check (the client id) asks of the access token.
        mock = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new DefaultOAuth2TokenCallback(ISSUER_ID, "mock-user-1", JOSEObjectType.JWT.getType(),
                        List.of(CLIENT_ID), Map.of(), 3600))));
        mock.start();
        int port = Hops.freePort();
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", port);
        settings.put("micronaut.server.host", "localhost");
        String base = mock.baseUrl().toString();
        settings.put("pot-login.api-root", base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        settings.put("pot-login.authorize-uri", mock.authorizationEndpointUrl(ISSUER_ID).toString());
        settings.put("pot-login.authorize-extra-parameters.scope", "openid");
        settings.put("pot-login.token-path", mock.tokenEndpointUrl(ISSUER_ID).encodedPath());
        settings.put("pot-login.issuer", mock.issuerUrl(ISSUER_ID).toString());
        settings.put("pot-login.jwks-uri", mock.jwksUrl(ISSUER_ID).toString());
        settings.put("pot-login.client-id", CLIENT_ID);
        settings.put("pot-login.client-secret", "oidc-interop-client-secret-0123456789abcdef");
        settings.put("pot-login.redirect-uri", "http://localhost:" + port + "/login/complete");
        settings.put("pot-login.state.signing-key-id", "oidc-1");
        settings.put("pot-login.state.keys.oidc-1", "oidc-interop-state-key-0123456789abcdef0123");
        app = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.getApplicationContext().close();
            }
        } finally {
            mock.shutdown();
        }
    }

    @Test
    void a_sign_in_with_scope_openid_verifies_the_mocks_id_token_with_the_nonce_login_sent() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI authorize = location(browser.get(app.getURI().resolve("/login")));
        assertThat(ScriptedBrowser.queryParameter(authorize, "nonce")).matches("[A-Za-z0-9_-]{43}");

        HttpResponse<String> landing = browser.get(location(browser.get(authorize)));

        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        assertThat(ScriptedBrowser.setCookie(landing, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
    }

    @Test
    void an_id_token_that_names_another_nonce_than_this_logins_signs_nobody_in() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI authorize = location(browser.get(app.getURI().resolve("/login")));
        String nonce = ScriptedBrowser.queryParameter(authorize, "nonce");
        // The authorization request of another login: the mock signs an ID token for that nonce.
        URI swapped = URI.create(authorize.toString().replace("nonce=" + nonce, "nonce=" + "N".repeat(43)));

        HttpResponse<String> callback = browser.get(location(browser.get(swapped)));

        assertThat(callback.statusCode()).isEqualTo(502);
        assertThat(callback.body()).contains("portal_bad_response");
        assertThat(callback.headers().allValues("Set-Cookie")).noneMatch(cookie ->
                cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"));
    }
}
