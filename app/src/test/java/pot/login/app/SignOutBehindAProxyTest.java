package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-out as it arrives at an app whose public origin is {@code https://app.example} (its redirect URI's): straight,
 * through a proxy that ends TLS and rewrites {@code Host}, and from another site that writes every host header itself.
 * Raw sockets, because java.net.http will not send a {@code Host} of our choosing.
 */
class SignOutBehindAProxyTest {

    static final String PUBLIC_ORIGIN = "https://app.example";
    static final String SESSION = "Cookie: __Host-pot-session=the-session-token";

    static EmbeddedServer app;

    @BeforeAll
    static void start() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("micronaut.server.port", -1);
        settings.put("pot-login.api-root", "https://portal.example");
        settings.put("pot-login.client-id", "client-1");
        settings.put("pot-login.client-secret", ProductionSettingsCheckTest.STRONG);
        settings.put("pot-login.redirect-uri", PUBLIC_ORIGIN + "/login/complete");
        settings.put("pot-login.state.signing-key-id", "k1");
        settings.put("pot-login.state.keys.k1", ProductionSettingsCheckTest.STRONG);
        app = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void a_sign_out_from_the_public_origin_signs_out() throws IOException {
        String response = post("Host: app.example", "Origin: " + PUBLIC_ORIGIN, "Sec-Fetch-Site: same-origin",
                SESSION);

        assertSignedOut(response);
    }

    @Test
    void a_sign_out_through_a_proxy_that_ends_tls_and_rewrites_host_signs_out() throws IOException {
        String response = post("Host: pot-login.internal:8080", "Origin: " + PUBLIC_ORIGIN,
                "Sec-Fetch-Site: same-origin", "X-Forwarded-Host: app.example", "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 443", "Forwarded: for=198.51.100.7;host=app.example;proto=https", SESSION);

        assertSignedOut(response);
    }

    @Test
    void a_sign_out_from_another_site_that_writes_every_host_header_is_refused_and_keeps_the_session()
            throws IOException {
        String response = post("Host: evil.example", "Origin: https://evil.example", "X-Forwarded-Host: evil.example",
                "X-Forwarded-Proto: https", "Forwarded: host=evil.example;proto=https", "Accept: application/json",
                SESSION);

        assertThat(response).startsWith("HTTP/1.1 403 ").contains("\"code\":\"cross_site_request\"")
                .doesNotContainIgnoringCase("set-cookie");
    }

    @Test
    void micronaut_resolves_a_requests_host_from_the_host_header_alone() {
        HttpHostResolver resolver = app.getApplicationContext().getBean(HttpHostResolver.class);

        String host = resolver.resolve(HttpRequest.POST("/logout", "").header("Host", "app.example")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Port", "8443").header("Forwarded", "host=evil.example;proto=https"));

        assertThat(host).isEqualTo("http://app.example");
    }

    private static void assertSignedOut(String response) {
        assertThat(response).startsWith("HTTP/1.1 303 ");
        assertThat(response.toLowerCase(Locale.ROOT))
                .contains("\r\nset-cookie: __host-pot-session=;", "max-age=0");
    }

    /** The whole response to {@code POST /logout}, sent byte by byte with exactly these headers. */
    private static String post(String... headers) throws IOException {
        try (Socket socket = new Socket(app.getHost(), app.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "POST /logout HTTP/1.1\r\n" + String.join("\r\n", headers)
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
