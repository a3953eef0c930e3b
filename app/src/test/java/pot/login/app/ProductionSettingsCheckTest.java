package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProductionSettingsCheckTest {

    static final String STRONG = "a-real-secret-from-the-vault-0123456789abcdef";
    /** In a row of {@link #brokenSettings()}: the setting is not set at all. */
    static final Object REMOVE = new Object();
    static final String HEADER = "refusing to start in production; fix these settings:";

    static final String CLIENT_ID_MISSING = "pot-login.client-id (POT_LOGIN_CLIENT_ID) is missing";
    static final String CLIENT_SECRET_MISSING = "pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is missing";
    static final String REDIRECT_URI_MISSING = "pot-login.redirect-uri (POT_LOGIN_REDIRECT_URI) is missing";
    static final String API_ROOT_MISSING = "pot-login.api-root (POT_LOGIN_API_ROOT) is missing";
    static final String SIGNING_KEY_ID_MISSING =
            "pot-login.state.signing-key-id (POT_LOGIN_STATE_SIGNING_KEY_ID) is missing";
    static final String STATE_KEYS_MISSING =
            "pot-login.state.keys.<id> (POT_LOGIN_STATE_KEYS_<ID>) is missing: no state key is configured";

    static final String REDIS_IN_CLEAR = "pot-login.redis.uri (POT_LOGIN_REDIS_URI) is redis:// (no TLS) to a host "
            + "other than this machine, use rediss://: redis://redis.internal:6379/0";

    /** A complete production configuration, https everywhere: it starts. */
    static Map<String, Object> production() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("pot-login.api-root", "https://portal.example");
        settings.put("pot-login.client-id", "client-1");
        settings.put("pot-login.client-secret", STRONG);
        settings.put("pot-login.redirect-uri", "https://app.example/login/complete");
        settings.put("pot-login.state.signing-key-id", "prod-2");
        settings.put("pot-login.state.keys.prod-2", STRONG + "-state");
        settings.put("micronaut.server.port", -1);
        return settings;
    }

    static Stream<Arguments> brokenSettings() {
        return Stream.of(
                row("no client id", Map.of("pot-login.client-id", REMOVE), CLIENT_ID_MISSING),
                row("no client secret", Map.of("pot-login.client-secret", REMOVE), CLIENT_SECRET_MISSING),
                row("the sandbox's client secret",
                        Map.of("pot-login.client-secret", "demo-only-client-secret-do-not-use-in-production"),
                        "pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is a demo value"),
                row("a client secret of 31 bytes", Map.of("pot-login.client-secret", "x".repeat(31)),
                        "pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is shorter than 32 bytes"),
                // Not inherited from the sandbox: application.yml has no redirect URI, no API root.
                row("no redirect URI", Map.of("pot-login.redirect-uri", REMOVE), REDIRECT_URI_MISSING),
                row("a redirect URI set to nothing (POT_LOGIN_REDIRECT_URI=)", Map.of("pot-login.redirect-uri", ""),
                        REDIRECT_URI_MISSING),
                row("a redirect URI over http", Map.of("pot-login.redirect-uri", "http://app.example/login/complete"),
                        "pot-login.redirect-uri (POT_LOGIN_REDIRECT_URI) is not https: "
                                + "http://app.example/login/complete"),
                row("no API root", Map.of("pot-login.api-root", REMOVE), API_ROOT_MISSING),
                row("discovery without an issuer (and, rightly, no API root)",
                        Map.of("pot-login.discovery", "true", "pot-login.api-root", REMOVE),
                        "pot-login.issuer (POT_LOGIN_ISSUER) is missing"),
                row("discovery from an issuer over http", Map.of("pot-login.discovery", "true",
                                "pot-login.api-root", REMOVE, "pot-login.issuer", "http://idp.example/realms/x"),
                        "pot-login.issuer (POT_LOGIN_ISSUER) is not https: http://idp.example/realms/x"),
                row("PKCE switched off", Map.of("pot-login.pkce", "false"),
                        "pot-login.pkce (POT_LOGIN_PKCE) is false: production requires PKCE, so that a leaked code "
                                + "cannot be redeemed in another browser"),
                row("an API root over http", Map.of("pot-login.api-root", "http://portal.example"),
                        "pot-login.api-root (POT_LOGIN_API_ROOT) is not https: http://portal.example"),
                row("an authorize URI over http", Map.of("pot-login.authorize-uri", "http://portal.example/"),
                        "pot-login.authorize-uri (POT_LOGIN_AUTHORIZE_URI) is not https: http://portal.example/"),
                row("the Redis store without a URI", Map.of("pot-login.store", "redis"),
                        "pot-login.redis.uri (POT_LOGIN_REDIS_URI) is missing"),
                row("the Redis store over plaintext to another machine, with a password in the URI",
                        Map.of("pot-login.store", "redis",
                                "pot-login.redis.uri", "redis://:" + STRONG + "@redis.internal:6379/0"),
                        REDIS_IN_CLEAR),
                row("the Redis store over plaintext to a loopback-looking name", Map.of("pot-login.store", "redis",
                                "pot-login.redis.uri", "redis://127.0.0.1.example:6379"),
                        "pot-login.redis.uri (POT_LOGIN_REDIS_URI) is redis:// (no TLS) to a host other than this "
                                + "machine, use rediss://: redis://127.0.0.1.example:6379"),
                row("a JWKS URI over http", Map.of("pot-login.jwks-uri", "http://portal.example/jwks"),
                        "pot-login.jwks-uri (POT_LOGIN_JWKS_URI) is not https: http://portal.example/jwks"),
                row("OIDC userinfo over http", Map.of("pot-login.user-lookup", "oidc-userinfo",
                                "pot-login.userinfo-uri", "http://idp.example/userinfo"),
                        "pot-login.userinfo-uri (POT_LOGIN_USERINFO_URI) is not https: http://idp.example/userinfo"),
                row("a revocation URI over http", Map.of("pot-login.revocation-uri", "http://idp.example/revoke"),
                        "pot-login.revocation-uri (POT_LOGIN_REVOCATION_URI) is not https: http://idp.example/revoke"),
                row("an end-session URI over http", Map.of("pot-login.end-session-uri", "http://idp.example/logout"),
                        "pot-login.end-session-uri (POT_LOGIN_END_SESSION_URI) is not https: http://idp.example/logout"),
                row("OIDC userinfo without its URI", Map.of("pot-login.user-lookup", "oidc-userinfo"),
                        "pot-login.userinfo-uri (POT_LOGIN_USERINFO_URI) is missing"),
                row("a session cookie without __Host-", Map.of("pot-login.session-cookie-name", "pot-session"),
                        "pot-login.session-cookie-name (POT_LOGIN_SESSION_COOKIE_NAME) does not start with __Host-: "
                                + "pot-session"),
                row("no signing key id", Map.of("pot-login.state.signing-key-id", REMOVE), SIGNING_KEY_ID_MISSING),
                row("a signing key id that names no key", Map.of("pot-login.state.signing-key-id", "prod-3"),
                        "pot-login.state.signing-key-id (POT_LOGIN_STATE_SIGNING_KEY_ID) 'prod-3' is not one of "
                                + "pot-login.state.keys [prod-2]"),
                row("a retired signing key", Map.of("pot-login.state.retired.prod-2", "2026-01-01T00:00:00Z"),
                        "pot-login.state.signing-key-id (POT_LOGIN_STATE_SIGNING_KEY_ID) 'prod-2' is retired "
                                + "(pot-login.state.retired.prod-2 (POT_LOGIN_STATE_RETIRED_PROD_2)): sign with a "
                                + "newer key"),
                row("no state key", Map.of("pot-login.state.keys.prod-2", REMOVE), STATE_KEYS_MISSING),
                row("an empty state key", Map.of("pot-login.state.keys.prod-2", ""),
                        "pot-login.state.keys.prod-2 (POT_LOGIN_STATE_KEYS_PROD_2) is missing"),
                row("a state key of 31 bytes", Map.of("pot-login.state.keys.prod-2", "x".repeat(31)),
                        "pot-login.state.keys.prod-2 (POT_LOGIN_STATE_KEYS_PROD_2) is shorter than 32 bytes"),
                row("the sandbox's state key",
                        Map.of("pot-login.state.keys.prod-2", "demo-only-state-key-0123456789abcdef-do-not-use"),
                        "pot-login.state.keys.prod-2 (POT_LOGIN_STATE_KEYS_PROD_2) is a demo value"),
                row("a key id that is not an id", Map.of("pot-login.state.keys.Prod_3", STRONG),
                        "pot-login.state.keys.Prod_3: 'Prod_3' is not a state key id: " + StateKeySettings.SPELLING),
                row("a retirement of no key", Map.of("pot-login.state.retired.prod-1", "2026-01-01T00:00:00Z"),
                        "pot-login.state.retired.prod-1 (POT_LOGIN_STATE_RETIRED_PROD_1) names no key of "
                                + "pot-login.state.keys [prod-2]"),
                row("a retirement that is no time", Map.of("pot-login.state.keys.prod-1", STRONG,
                                "pot-login.state.retired.prod-1", "yesterday"),
                        "pot-login.state.retired.prod-1 (POT_LOGIN_STATE_RETIRED_PROD_1) is not an RFC 3339 time "
                                + "(2026-11-28T10:00:00Z): yesterday"),
                row("only a client secret and a state key, as the review found it",
                        Map.of("pot-login.api-root", REMOVE, "pot-login.client-id", REMOVE,
                                "pot-login.redirect-uri", REMOVE, "pot-login.state.signing-key-id", REMOVE),
                        CLIENT_ID_MISSING, REDIRECT_URI_MISSING, API_ROOT_MISSING, SIGNING_KEY_ID_MISSING),
                row("everything missing", everything(REMOVE),
                        CLIENT_ID_MISSING, CLIENT_SECRET_MISSING, REDIRECT_URI_MISSING, API_ROOT_MISSING,
                        STATE_KEYS_MISSING, SIGNING_KEY_ID_MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenSettings")
    void production_refuses_to_start_naming_each_broken_setting_and_its_variable_on_a_line_of_its_own(
            String row, Map<String, Object> change, List<String> expected) {
        Map<String, Object> settings = production();
        change.forEach((name, value) -> {
            if (value == REMOVE) {
                settings.remove(name);
            } else {
                settings.put(name, value);
            }
        });

        assertThat(refusal(settings)).containsExactlyElementsOf(expected);
    }

    @Test
    void production_starts_and_serves_with_a_complete_https_configuration() throws Exception {
        Map<String, Object> settings = production();
        int port = freePort();
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("micronaut.server.port", port);
        int managementPort = freePort();
        settings.put("endpoints.all.port", managementPort);

        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, settings, Application.PRODUCTION);
        try {
            HttpResponse<Void> login = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<String> liveness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + managementPort + "/health/liveness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body()).isEqualTo("{\"status\":\"UP\"}");

            assertThat(server.getApplicationContext().getEnvironment().getActiveNames())
                    .contains(Application.PRODUCTION).doesNotContain(Application.SANDBOX);
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                    .startsWith("https://portal.example/?")
                    .contains("redirect_uri=https%3A%2F%2Fapp.example%2Flogin%2Fcomplete", "state=prod-2."));
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("safeRedisUris")
    void production_accepts_the_redis_store_over_tls_or_on_this_machine(String uri) {
        Map<String, Object> settings = production();
        settings.put("pot-login.store", "redis");
        settings.put("pot-login.redis.uri", uri);

        try (ApplicationContext context = ApplicationContext.run(settings, Application.PRODUCTION)) {
            assertThat(context.getBean(ProductionSettingsCheck.class)).isNotNull();
        }
    }

    static Stream<String> safeRedisUris() {
        return Stream.of("rediss://:" + STRONG + "@redis.internal:6380/0", "redis://127.0.0.1:6379",
                "redis://localhost:6379", "redis://[::1]:6379");
    }

    @Test
    void a_production_start_with_redis_in_clear_fails_without_printing_the_password() throws IOException {
        int port = freePort();
        Map<String, String> environment = new HashMap<>();
        production().forEach((name, value) -> {
            if (name.startsWith("pot-login.")) {
                environment.put(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'),
                        value.toString());
            }
        });
        environment.put("MICRONAUT_ENVIRONMENTS", Application.PRODUCTION);
        environment.put("POT_LOGIN_STORE", "redis");
        environment.put("POT_LOGIN_REDIS_URI", "redis://:" + STRONG + "@redis.internal:6379/0");

        ChildJvm.Result result = ChildJvm.run(Application.class, environment,
                List.of("-Dmicronaut.server.host=127.0.0.1", "-Dmicronaut.server.port=" + port), List.of(),
                () -> isListening(port));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(HEADER + "\n" + REDIS_IN_CLEAR + "\n")
                .doesNotContain("Startup completed", STRONG);
    }

    @Test
    void a_pem_key_stands_in_for_a_jwks_uri() {
        Map<String, Object> settings = production();
        settings.put("pot-login.jwks-uri", "http://portal.example/jwks");
        settings.put("pot-login.public-key-pem", "-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----");

        try (ApplicationContext context = ApplicationContext.run(settings, Application.PRODUCTION)) {
            assertThat(context.getBean(ProductionSettingsCheck.class)).isNotNull();
        }
    }

    @Test
    void a_half_configured_production_start_fails_before_it_listens_and_names_every_missing_setting()
            throws IOException {
        int port = freePort();

        ChildJvm.Result result = ChildJvm.run(Application.class, Map.of(
                        "MICRONAUT_ENVIRONMENTS", Application.PRODUCTION,
                        "POT_LOGIN_CLIENT_SECRET", STRONG,
                        "POT_LOGIN_STATE_KEYS_PROD_2", STRONG + "-state"),
                List.of("-Dmicronaut.server.host=127.0.0.1", "-Dmicronaut.server.port=" + port), List.of(),
                () -> isListening(port));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains(HEADER + "\n" + String.join("\n", CLIENT_ID_MISSING,
                        REDIRECT_URI_MISSING, API_ROOT_MISSING, SIGNING_KEY_ID_MISSING) + "\n")
                .doesNotContain("Startup completed", STRONG);
    }

    @Test
    void production_refuses_to_run_next_to_the_sandbox() {
        assertThatThrownBy(() -> ApplicationContext.run(production(), Application.PRODUCTION, Application.SANDBOX)
                .close())
                .hasStackTraceContaining("the sandbox environment is active too");
    }

    @Test
    void no_refusal_quotes_a_secret() {
        Map<String, Object> settings = production();
        settings.put("pot-login.client-secret", "short-secret");
        settings.put("pot-login.state.keys.prod-2", "demo-only-key");
        settings.put("pot-login.state.keys.prod-3", "${no.such.placeholder}-secret");

        assertThat(String.join("\n", refusal(settings)))
                .contains("shorter than 32 bytes", "is a demo value",
                        "pot-login.state.keys.prod-3 holds a placeholder that does not resolve")
                .doesNotContain("short-secret", "demo-only-key", "no.such.placeholder");
    }

    private static Arguments row(String name, Map<String, Object> change, String... expected) {
        return arguments(name, change, Arrays.asList(expected));
    }

    private static Map<String, Object> everything(Object value) {
        Map<String, Object> all = new HashMap<>();
        production().keySet().stream().filter(name -> name.startsWith("pot-login."))
                .forEach(name -> all.put(name, value));
        return all;
    }

    /** The lines of the refusal, after its header; fails if the context starts. */
    private static List<String> refusal(Map<String, Object> settings) {
        try (ApplicationContext started = ApplicationContext.run(settings, Application.PRODUCTION)) {
            throw new AssertionError("production started with " + settings.keySet());
        } catch (RuntimeException refused) {
            Throwable cause = refused;
            while (!(cause instanceof IllegalStateException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(IllegalStateException.class);
            List<String> lines = cause.getMessage().lines().toList();
            assertThat(lines.get(0)).isEqualTo(HEADER);
            return lines.subList(1, lines.size());
        }
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
