package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.interop.PotLoginAgainstMockOAuth2ServerTest.SESSION_COOKIE;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * The Platform of Trust recipe ({@code platform-of-trust.properties}, which docs/other-authorization-servers.md
 * quotes) against the sandbox, which stands in for that portal: its login form at the root, the token endpoint and
 * {@code /api/me} under the API root, RS256 tokens verified with the PEM key it publishes at {@code /keys/oauth.pub}.
 * Only the {@code <…>} parts of the file are filled in; nothing else is set but the state keys and the port.
 */
class PlatformOfTrustRecipeAgainstSandboxTest {

    static final String CLIENT_ID = "pot-interop-client";
    static final String CLIENT_SECRET = "pot-interop-client-secret-0123456789abcdef";
    static final String STATE_KEY = "interop-state-key-0123456789abcdef0123456789";

    static PortalSandbox sandbox;
    static int appPort;
    static String sandboxPem;

    @BeforeAll
    static void startSandbox() {
        appPort = Hops.freePort();
        sandbox = PortalSandbox.start(SandboxSettings.defaults().withPort(0).withClients(List.of(
                        new RegisteredClient(CLIENT_ID, CLIENT_SECRET, List.of(origin() + "/login/complete")))),
                Map.of("pot-login.enabled", false));
        sandboxPem = get(sandbox.uri().resolve("/keys/oauth.pub"));
        assertThat(sandboxPem).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void a_user_signs_in_at_the_platform_of_trust_shaped_sandbox_with_the_recipe_alone() {
        try (EmbeddedServer app = start(sandboxPem)) {
            ScriptedBrowser browser = new ScriptedBrowser();

            URI authorize = location(browser.get(app.getURI().resolve("/login")));
            assertThat(authorize.getScheme() + "://" + authorize.getRawAuthority() + authorize.getPath())
                    .isEqualTo(sandbox.uri().resolve("/").toString());
            Map<String, String> query = query(authorize);
            assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                    .containsEntry("redirect_uri", origin() + "/login/complete")
                    .containsEntry("grant_type", "authorization").containsEntry("cancel_url", origin() + "/")
                    .containsKey("state");
            HttpResponse<String> landing = browser.get(location(
                    browser.signInAtPortal(authorize, "demo", "demo", "sign-in")));

            assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
            assertThat(ScriptedBrowser.setCookie(landing, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
            HttpResponse<String> me = browser.getAccepting(app.getURI().resolve("/me"), "application/json");
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(me.body()).contains("\"id\":\"demo\"");
            assertThat(browser.get(app.getURI().resolve("/")).body()).contains("Signed in as");
        }
    }

    @Test
    void the_recipe_verifies_the_portals_tokens_with_the_pem_key_it_names_and_no_other() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String otherKey = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsa.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        try (EmbeddedServer app = start(otherKey)) {
            ScriptedBrowser browser = new ScriptedBrowser();

            URI authorize = location(browser.get(app.getURI().resolve("/login")));
            HttpResponse<String> landing = browser.get(location(
                    browser.signInAtPortal(authorize, "demo", "demo", "sign-in")));

            assertThat(landing.statusCode()).as(landing.body()).isBetween(400, 599);
            assertThat(browser.cookies(app.getURI())).doesNotContainKey(SESSION_COOKIE);
        }
    }

    private static EmbeddedServer start(String publicKeyPem) {
        Map<String, Object> settings = new HashMap<>();
        String apiRoot = sandbox.uri().toString().replaceAll("/$", "");
        recipe().forEach((name, value) -> settings.put((String) name, ((String) value)
                .replace("<api-root>", apiRoot)
                .replace("<login-portal>", apiRoot)
                .replace("<client-id>", CLIENT_ID)
                .replace("<client-secret>", CLIENT_SECRET)
                .replace("<issuer>", sandbox.issuer())
                .replace("<public-key-pem>", publicKeyPem)
                .replace("<app-origin>", origin())));
        assertThat(settings.values()).noneMatch(value -> value.toString().matches("(?s).*<[a-z-]+>.*"));
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.state.signing-key-id", "interop-1");
        settings.put("pot-login.state.keys.interop-1", STATE_KEY);
        return ApplicationContext.run(EmbeddedServer.class, settings);
    }

    /** The recipe that the docs quote. */
    static Properties recipe() {
        Properties recipe = new Properties();
        try (InputStream in = PlatformOfTrustRecipeAgainstSandboxTest.class
                .getResourceAsStream("/platform-of-trust.properties")) {
            recipe.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return recipe;
    }

    private static String origin() {
        return "http://localhost:" + appPort;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            query.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String get(URI uri) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("the sandbox did not answer " + uri, e);
        }
    }
}
