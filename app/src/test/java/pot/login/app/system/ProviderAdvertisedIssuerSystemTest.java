package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9207 §3: a provider whose discovery document says {@code authorization_response_iss_parameter_supported: true}
 * sends {@code iss} on every authorization response, so a callback without it did not come from that provider as it
 * is (a mix-up, or a callback put together by someone else): refused before the code is used, whatever
 * {@code callback-issuer-required} says. The review of the discovery change found the flag read and then ignored.
 */
class ProviderAdvertisedIssuerSystemTest {

    private HttpServer provider;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private EmbeddedServer app;

    @BeforeEach
    void startProvider() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/token", exchange -> {
            tokenRequests.incrementAndGet();
            answer(exchange, 400, "{\"error\":\"invalid_grant\"}");
        });
        provider.start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.getApplicationContext().close();
        }
        provider.stop(0);
    }

    @Test
    void a_callback_without_iss_is_refused_before_the_code_is_used_when_the_provider_says_it_always_sends_one() {
        startAppWithProviderSaying(true);
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> callback = browser.get(callbackWithoutIss(browser));

        assertThat(callback.statusCode()).isEqualTo(400);
        assertThat(callback.body()).contains("issuer_mismatch");
        assertThat(tokenRequests).as("the code never reached the token endpoint").hasValue(0);
    }

    @Test
    void where_the_provider_does_not_say_so_a_callback_without_iss_goes_on_to_the_code_exchange() {
        startAppWithProviderSaying(false);
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> callback = browser.get(callbackWithoutIss(browser));

        assertThat(callback.body()).doesNotContain("issuer_mismatch").contains("code_rejected");
        assertThat(tokenRequests).hasValue(1);
    }

    private URI callbackWithoutIss(ScriptedBrowser browser) {
        URI authorize = ScriptedBrowser.location(browser.get(app.getURI().resolve("/login")));
        String state = ScriptedBrowser.queryParameter(authorize, "state");
        return app.getURI().resolve("/login/complete?code=a-code&state=" + state);
    }

    private void startAppWithProviderSaying(boolean issParameterSupported) {
        String issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/realm";
        provider.createContext("/realm/.well-known/openid-configuration", exchange -> answer(exchange, 200, """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"http://127.0.0.1:%d/token",
                 "jwks_uri":"%s/jwks","authorization_response_iss_parameter_supported":%s}"""
                .formatted(issuer, issuer, provider.getAddress().getPort(), issuer, issParameterSupported)));
        int port = PotLoginWithSandbox.freePort();
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", port);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.discovery", true);
        settings.put("pot-login.issuer", issuer);
        settings.put("pot-login.callback-issuer-required", false);
        settings.put("pot-login.client-id", "discovery-test-client");
        settings.put("pot-login.client-secret", "discovery-test-secret-0123456789abcdef");
        settings.put("pot-login.redirect-uri", "http://localhost:" + port + "/login/complete");
        settings.put("pot-login.state.signing-key-id", "test-1");
        settings.put("pot-login.state.keys.test-1", "discovery-test-state-key-0123456789abcdef");
        app = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String json)
            throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
