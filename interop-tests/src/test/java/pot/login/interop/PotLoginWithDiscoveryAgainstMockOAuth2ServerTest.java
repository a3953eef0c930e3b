package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static pot.login.interop.PotLoginAgainstMockOAuth2ServerTest.SESSION_COOKIE;
import static pot.login.app.system.ScriptedBrowser.location;

import com.nimbusds.jose.JOSEObjectType;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;

/**
 * The app given only mock-oauth2-server's issuer (and its client and redirect URI): every endpoint comes from the
 * mock's {@code /.well-known/openid-configuration}. The settings are read from {@code generic-oidc-discovery.properties},
 * the file docs/other-authorization-servers.md quotes, so the recipe cannot drift from what is tested.
 */
class PotLoginWithDiscoveryAgainstMockOAuth2ServerTest {

    static final String ISSUER_ID = "discovered";
    static final String STATE_KEY = "interop-state-key-0123456789abcdef0123456789";

    static MockOAuth2Server mock;

    @BeforeAll
    static void start() {
        // As many servers issue them: aud names a resource, not us; azp (the mock sets it) names our client.
        mock = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new DefaultOAuth2TokenCallback(ISSUER_ID, "mock-user-2", JOSEObjectType.JWT.getType(),
                        List.of("account"), Map.of("name", "Grace Hopper"), 3600))));
        mock.start();
    }

    @AfterAll
    static void stop() {
        mock.shutdown();
    }

    @Test
    void a_user_signs_in_with_nothing_configured_but_the_issuer_the_client_and_the_redirect_uri() {
        try (App app = App.start(mock.issuerUrl(ISSUER_ID).toString(), Map.of())) {
            List<String> atStart = paths();
            assertThat(atStart).containsExactly("/" + ISSUER_ID + "/.well-known/openid-configuration");
            ScriptedBrowser browser = new ScriptedBrowser();

            URI authorize = location(browser.get(app.uri("/login")));
            assertThat(authorize.toString()).startsWith(mock.authorizationEndpointUrl(ISSUER_ID).toString());
            HttpResponse<String> landing = browser.get(location(browser.get(authorize)));

            assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
            assertThat(ScriptedBrowser.setCookie(landing, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
            assertThat(browser.get(app.uri("/")).body()).contains("Signed in as <strong id=\"user-name\">Grace Hopper</strong>");
            HttpResponse<String> me = browser.getAccepting(app.uri("/me"), "application/json");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(me.body()).contains("\"id\":\"mock-user-2\"", "\"name\":\"Grace Hopper\"");
            // Token, keys and the user all came from the endpoints the discovery document named.
            assertThat(paths()).contains("/" + ISSUER_ID + "/token", "/" + ISSUER_ID + "/jwks",
                    "/" + ISSUER_ID + "/userinfo");
        }
    }

    @Test
    void an_issuer_that_is_not_exactly_the_documents_stops_the_start_with_one_line_naming_the_setting_and_url() {
        String wrong = mock.issuerUrl(ISSUER_ID) + "/";

        assertThatThrownBy(() -> App.start(wrong, Map.of()))
                .rootCause()
                .hasMessage("pot-login.issuer (POT_LOGIN_ISSUER) with pot-login.discovery (POT_LOGIN_DISCOVERY): "
                        + "OpenID discovery failed: " + mock.issuerUrl(ISSUER_ID)
                        + "/.well-known/openid-configuration names the issuer '" + mock.issuerUrl(ISSUER_ID)
                        + "', not the configured '" + wrong + "'");
        paths();
    }

    @Test
    void an_explicit_authorize_uri_wins_over_the_discovered_one() {
        String explicit = "http://127.0.0.1:9/elsewhere/authorize";
        try (App app = App.start(mock.issuerUrl(ISSUER_ID).toString(), Map.of("pot-login.authorize-uri", explicit))) {
            URI authorize = location(new ScriptedBrowser().get(app.uri("/login")));

            assertThat(authorize.toString()).startsWith(explicit + "?");
        }
        paths();
    }

    @Test
    void with_discovery_off_no_discovery_request_is_made() {
        try (App app = App.start(mock.issuerUrl(ISSUER_ID).toString(), Map.of("pot-login.discovery", false,
                "pot-login.api-root", mock.baseUrl().toString().replaceAll("/$", ""),
                "pot-login.userinfo-uri", mock.userInfoUrl(ISSUER_ID).toString()))) {
            HttpResponse<String> login = new ScriptedBrowser().get(app.uri("/login"));

            assertThat(login.statusCode()).as(login.body()).isEqualTo(303);
            assertThat(paths()).noneMatch(path -> path.contains("/.well-known/"));
        }
    }

    /** Also for PlatformOfTrustRecipeAgainstSandboxTest's file: every tested recipe the docs quote. */
    @Test
    void the_recipes_in_the_docs_are_the_tests_configuration_files_verbatim() throws IOException {
        String docs = java.nio.file.Files.readString(java.nio.file.Path.of("../docs/other-authorization-servers.md"));
        for (String file : List.of("/generic-oidc-discovery.properties", "/generic-oidc-refresh.properties",
                "/platform-of-trust.properties")) {
            String recipe;
            try (InputStream in = getClass().getResourceAsStream(file)) {
                recipe = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }

            assertThat(docs).as(file).contains("```properties\n" + recipe + "```\n");
        }
    }

    /** The recipe that the docs quote. */
    static Properties recipe() {
        Properties recipe = new Properties();
        try (InputStream in = PotLoginWithDiscoveryAgainstMockOAuth2ServerTest.class
                .getResourceAsStream("/generic-oidc-discovery.properties")) {
            recipe.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recipe;
    }

    /** The paths of every request the mock received since the last call, oldest first. */
    static List<String> paths() {
        List<String> paths = new java.util.ArrayList<>();
        while (true) {
            try {
                RecordedRequest request = mock.takeRequest(50, TimeUnit.MILLISECONDS);
                paths.add(URI.create(request.getPath()).getPath());
            } catch (RuntimeException none) {
                return paths;
            }
        }
    }

    record App(EmbeddedServer server) implements AutoCloseable {

        static App start(String issuer, Map<String, Object> extraSettings) {
            int port = Hops.freePort();
            String origin = "http://localhost:" + port;
            Map<String, Object> settings = new HashMap<>();
            recipe().forEach((name, value) -> settings.put((String) name, ((String) value)
                    .replace("<issuer>", issuer).replace("<app-origin>", origin)));
            settings.put("micronaut.server.port", port);
            settings.put("micronaut.server.host", "localhost");
            settings.put("pot-login.state.signing-key-id", "interop-1");
            settings.put("pot-login.state.keys.interop-1", STATE_KEY);
            settings.putAll(extraSettings);
            return new App(ApplicationContext.run(EmbeddedServer.class, settings));
        }

        URI uri(String path) {
            return server.getURI().resolve(path);
        }

        @Override
        public void close() {
            server.getApplicationContext().close();
        }
    }
}
