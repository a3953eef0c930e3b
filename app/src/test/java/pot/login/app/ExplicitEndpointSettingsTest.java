package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pot.login.adapters.portal.ProviderEndpoints;
import pot.login.adapters.portal.TokenRequestSettings;

/**
 * With discovery, each endpoint setting that is set wins over the endpoint the provider's document names (issue 13):
 * an operator who must route one endpoint elsewhere (a proxy, a tenant-specific token URL) can, for every endpoint.
 */
class ExplicitEndpointSettingsTest {

    private static final String API_ROOT = "https://portal.example";

    private HttpServer provider;
    private ApplicationContext context;

    @BeforeEach
    void startProvider() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/realm/.well-known/openid-configuration", exchange -> answer(exchange, """
                {"issuer":"%s","authorization_endpoint":"https://discovered.example/authorize",
                 "token_endpoint":"https://discovered.example/token",
                 "userinfo_endpoint":"https://discovered.example/userinfo",
                 "jwks_uri":"https://discovered.example/jwks",
                 "end_session_endpoint":"https://discovered.example/logout",
                 "revocation_endpoint":"https://discovered.example/revoke"}""".formatted(issuer())));
        provider.start();
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        provider.stop(0);
    }

    /** Each endpoint: its setting, a value for it, where the app holds it, and what the document names. */
    static Stream<Arguments> endpoints() {
        return Stream.of(
                row("pot-login.authorize-uri", "https://explicit.example/authorize",
                        endpoints -> Optional.of(endpoints.authorization()), "https://discovered.example/authorize"),
                row("pot-login.token-path", "/explicit/token", endpoints -> Optional.of(endpoints.token()),
                        "https://discovered.example/token"),
                row("pot-login.userinfo-uri", "https://explicit.example/userinfo", ProviderEndpoints::userinfo,
                        "https://discovered.example/userinfo"),
                row("pot-login.jwks-uri", "https://explicit.example/jwks", ProviderEndpoints::jwks,
                        "https://discovered.example/jwks"),
                row("pot-login.end-session-uri", "https://explicit.example/logout", ProviderEndpoints::endSession,
                        "https://discovered.example/logout"),
                row("pot-login.revocation-uri", "https://explicit.example/revoke", ProviderEndpoints::revocation,
                        "https://discovered.example/revoke"));
    }

    private static Arguments row(String setting, String explicit, Function<ProviderEndpoints, Optional<URI>> endpoint,
                                 String discovered) {
        return Arguments.of(setting, explicit, endpoint, discovered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void an_explicit_endpoint_setting_wins_over_the_discovered_endpoint(String setting, String explicit,
            Function<ProviderEndpoints, Optional<URI>> endpoint, String discovered) {
        context = start(Map.of(setting, explicit));

        assertThat(endpoint.apply(context.getBean(ProviderEndpoints.class))).contains(URI.create(explicit));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void without_its_setting_each_endpoint_is_the_discovered_one(String setting, String explicit,
            Function<ProviderEndpoints, Optional<URI>> endpoint, String discovered) {
        context = start(Map.of());

        assertThat(endpoint.apply(context.getBean(ProviderEndpoints.class))).contains(URI.create(discovered));
    }

    @Test
    void the_token_request_goes_to_an_explicit_token_path_below_the_api_root() {
        context = start(Map.of("pot-login.token-path", "/explicit/token"));

        assertThat(context.getBean(TokenRequestSettings.class).tokenEndpoint())
                .isEqualTo(URI.create("/explicit/token"));
        assertThat(context.getEnvironment().getProperty("micronaut.http.services.portal.url", String.class))
                .contains(API_ROOT);
    }

    @Test
    void a_token_path_set_with_discovery_but_no_api_root_stops_the_start_naming_both() {
        Map<String, Object> settings = settings(Map.of("pot-login.token-path", "/explicit/token"));
        settings.remove("pot-login.api-root");

        assertThatThrownBy(() -> context = ApplicationContext.builder().deduceEnvironment(false).properties(settings)
                .start())
                .satisfies(failure -> assertThat(StartFailure.oneLine(failure)).contains("pot-login.token-path "
                        + "(POT_LOGIN_TOKEN_PATH) is set but pot-login.api-root (POT_LOGIN_API_ROOT), the root it is "
                        + "below, is missing"));
    }

    private ApplicationContext start(Map<String, Object> explicit) {
        return ApplicationContext.builder().deduceEnvironment(false).properties(settings(explicit)).start();
    }

    private Map<String, Object> settings(Map<String, Object> explicit) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("pot-login.discovery", true);
        settings.put("pot-login.issuer", issuer());
        settings.put("pot-login.api-root", API_ROOT);
        settings.put("pot-login.client-id", "explicit-test-client");
        settings.put("pot-login.client-secret", ProductionSettingsCheckTest.STRONG);
        settings.put("pot-login.redirect-uri", "http://localhost:8080/login/complete");
        settings.put("pot-login.state.signing-key-id", "test-1");
        settings.put("pot-login.state.keys.test-1", ProductionSettingsCheckTest.STRONG);
        settings.putAll(explicit);
        return settings;
    }

    private String issuer() {
        return "http://127.0.0.1:" + provider.getAddress().getPort() + "/realm";
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
