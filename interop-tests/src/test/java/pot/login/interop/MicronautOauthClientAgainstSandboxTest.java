package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * micronaut-security-oauth2's own authorization-code login, a client written by others, signs a user in at our
 * sandbox portal: its {@code /oauth/login/sandbox} sends the browser to the sandbox, and its
 * {@code /oauth/callback/sandbox} checks its own state, exchanges the code (with its own PKCE verifier) and signs the
 * user in with its own session cookie. Proof that the sandbox speaks standard OAuth 2.0, not only pot-login's dialect.
 */
class MicronautOauthClientAgainstSandboxTest {

    static final String SPEC = "MicronautOauthClientAgainstSandboxTest";
    static final String CALLBACK = "/oauth/callback/sandbox";
    static final String CLIENT_SECRET = "mn-client-secret-0123456789abcdefghijkl";
    /** '+' and '%' are what RFC 6749's form-encoding inside HTTP Basic changes. */
    static final String SECRET_THAT_FORM_ENCODING_CHANGES = "mn-client-secret+with%2Bplus-0123456789abcdef";
    /** The client app's own session is a JWT it signs itself (HS256); the sandbox's token stays with the sandbox. */
    static final String CLIENT_SESSION_SECRET = "client-app-session-signing-secret-0123456789";

    /** One registration per test, each with its own client app port, so no test reuses a port just closed. */
    static final Client POST = new Client("mn-client-post", CLIENT_SECRET);
    static final Client BASIC = new Client("mn-client-basic", CLIENT_SECRET);
    static final Client CANCELLING = new Client("mn-client-cancel", CLIENT_SECRET);
    static final Client BASIC_PLUS = new Client("mn-client-basic-plus", SECRET_THAT_FORM_ENCODING_CHANGES);

    static PortalSandbox sandbox;

    @BeforeAll
    static void startSandbox() {
        List<RegisteredClient> registered = List.of(POST, BASIC, CANCELLING, BASIC_PLUS).stream()
                .map(client -> new RegisteredClient(client.id(), client.secret(), List.of(callbackOf(client.port()))))
                .toList();
        sandbox = PortalSandbox.start(SandboxSettings.defaults().withPort(0).withClients(registered),
                Map.of("pot-login.enabled", false));
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void forgetEarlierTokenRequests() {
        TokenRequestRecorder.SENT.clear();
    }

    @Test
    void micronauts_oauth2_login_signs_demo_in_at_the_sandbox_with_client_secret_post() {
        try (ClientApp client = ClientApp.start(POST, "client_secret_post")) {
            assertTheClientSignsDemoIn(client.server());
        }
        assertThat(TokenRequestRecorder.SENT).singleElement().satisfies(sent -> {
            assertThat(sent.authorization()).isNull();
            assertThat(sent.formFields()).contains("client_id", "client_secret", "code", "code_verifier");
        });
    }

    @Test
    void micronauts_oauth2_login_signs_demo_in_at_the_sandbox_with_client_secret_basic() {
        try (ClientApp client = ClientApp.start(BASIC, "client_secret_basic")) {
            assertTheClientSignsDemoIn(client.server());
        }
        assertThat(TokenRequestRecorder.SENT).singleElement().satisfies(sent -> {
            assertThat(sent.authorization()).startsWith("Basic ");
            assertThat(sent.formFields()).contains("code", "code_verifier").doesNotContain("client_secret");
        });
    }

    @Test
    void cancelling_at_the_sandbox_gives_micronauts_client_the_standard_access_denied_and_signs_nobody_in() {
        try (ClientApp client = ClientApp.start(CANCELLING, "client_secret_post")) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI authorize = location(browser.get(client.uri("/oauth/login/sandbox")));

            URI callback = location(browser.signInAtPortal(authorize, "", "", "cancel"));
            assertThat(callback.getRawQuery()).startsWith("error=access_denied&state=").contains("&iss=");
            HttpResponse<String> failed = browser.get(callback);

            // micronaut-security reads it as an authorization error: its login-failure page, no session.
            assertThat(failed.statusCode()).isEqualTo(303);
            assertThat(location(failed).getPath()).isEqualTo("/sign-in-failed");
            assertThat(failed.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("JWT="));
            assertThat(TokenRequestRecorder.SENT).isEmpty();
        }
    }

    @Test
    void micronauts_client_secret_basic_is_refused_for_a_secret_with_plus_or_percent_as_it_skips_rfc6749_form_encoding() {
        // RFC 6749 §2.3.1: client id and secret are form-urlencoded before HTTP Basic; the sandbox decodes them so.
        // micronaut-security-oauth2 4.15.1 sends them raw, so a '+' arrives as a space and '%2B' as '+'.
        try (ClientApp client = ClientApp.start(BASIC_PLUS, "client_secret_basic")) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI authorize = location(browser.get(client.uri("/oauth/login/sandbox")));
            URI callback = location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));

            HttpResponse<String> failed = browser.get(callback);

            assertThat(failed.statusCode()).as("micronaut's answer to the sandbox's invalid_client").isEqualTo(500);
            assertThat(failed.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith("JWT="));
        }
        assertThat(TokenRequestRecorder.SENT).singleElement().satisfies(sent -> assertThat(
                new String(Base64.getDecoder().decode(sent.authorization().substring("Basic ".length())),
                        StandardCharsets.UTF_8)).isEqualTo(BASIC_PLUS.id() + ":" + SECRET_THAT_FORM_ENCODING_CHANGES));
    }

    static void assertTheClientSignsDemoIn(EmbeddedServer client) {
        ScriptedBrowser browser = new ScriptedBrowser();
        // Not signed in yet: micronaut-security's cookie mode redirects away from a protected page.
        HttpResponse<String> before = browser.get(client.getURI().resolve("/whoami"));
        assertThat(before.statusCode()).isEqualTo(303);
        assertThat(before.body()).isNotEqualTo("demo");

        // micronaut-security-oauth2 sends the browser to the sandbox, with its own state and PKCE challenge.
        HttpResponse<String> login = browser.get(client.getURI().resolve("/oauth/login/sandbox"));
        assertThat(login.statusCode()).isBetween(302, 303);
        URI authorize = location(login);
        assertThat(authorize.toString()).startsWith(sandbox.uri() + "/?");
        assertThat(authorize.getRawQuery()).contains("response_type=code", "state=", "code_challenge_method=S256",
                "redirect_uri=" + URLEncoder.encode(callbackOf(client.getPort()), StandardCharsets.UTF_8));

        // The user signs in at the sandbox's form; the sandbox redirects back with code, state and iss (RFC 9207).
        HttpResponse<String> back = browser.signInAtPortal(authorize, "demo", "demo", "sign-in");
        assertThat(back.statusCode()).isEqualTo(302);
        URI callback = location(back);
        assertThat(callback.toString()).startsWith(callbackOf(client.getPort()) + "?");
        assertThat(callback.getRawQuery()).contains("code=", "state=", "iss=");

        // The client checks its state, exchanges the code at the sandbox and signs the user in, in its own way.
        HttpResponse<String> signedIn = browser.get(callback);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isBetween(302, 303);
        assertThat(location(signedIn).getPath()).isEqualTo("/whoami");
        assertThat(ScriptedBrowser.setCookie(signedIn, "JWT")).startsWith("JWT=ey");

        HttpResponse<String> whoami = browser.get(location(signedIn));
        assertThat(whoami.statusCode()).isEqualTo(200);
        assertThat(whoami.body()).isEqualTo("demo");
    }

    static String callbackOf(int port) {
        return "http://localhost:" + port + CALLBACK;
    }

    /** A client registration at the sandbox and the port its client app will listen on. */
    record Client(String id, String secret, int port) {
        Client(String id, String secret) {
            this(id, secret, Hops.freePort());
        }
    }

    /**
     * A Micronaut application that is not pot-login: none of our beans ({@code pot-login.enabled=false}) and none of
     * our configuration files, only micronaut-security-oauth2 set up for one plain OAuth 2.0 provider.
     */
    record ClientApp(EmbeddedServer server) implements AutoCloseable {

        static ClientApp start(Client registration, String authenticationMethod) {
            String client = "micronaut.security.oauth2.clients.sandbox.";
            Map<String, Object> settings = new HashMap<>();
            settings.put("spec.name", SPEC);
            settings.put("pot-login.enabled", false);
            settings.put("micronaut.server.host", "localhost");
            settings.put("micronaut.server.port", registration.port());
            settings.put("micronaut.security.authentication", "cookie");
            settings.put("micronaut.security.redirect.login-success", "/whoami");
            settings.put("micronaut.security.redirect.login-failure", "/sign-in-failed");
            settings.put("micronaut.security.token.jwt.signatures.secret.generator.secret", CLIENT_SESSION_SECRET);
            settings.put(client + "client-id", registration.id());
            settings.put(client + "client-secret", registration.secret());
            settings.put(client + "authorization.url", sandbox.uri() + "/");
            // A plain OAuth 2.0 client (no discovery document) uses PKCE only when told which method.
            settings.put(client + "authorization.code-challenge-method", "S256");
            settings.put(client + "token.url", sandbox.uri() + "/api/auth/v1/oauth/token/request");
            settings.put(client + "token.authentication-method", authenticationMethod);
            // For the mapper, which verifies the sandbox's token as any client would.
            settings.put("interop.sandbox.jwks-uri", sandbox.uri() + "/keys/jwks.json");
            settings.put("interop.sandbox.issuer", sandbox.issuer());
            // Our app's application.yml is on this classpath too: this context reads no configuration files.
            ApplicationContext context = ApplicationContext.builder()
                    .enableDefaultPropertySources(false)
                    .properties(settings)
                    .start();
            try {
                return new ClientApp(context.getBean(EmbeddedServer.class).start());
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
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
