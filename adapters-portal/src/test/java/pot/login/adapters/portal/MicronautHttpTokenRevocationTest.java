package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.http.client.HttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;

class MicronautHttpTokenRevocationTest {

    private static final AccessToken TOKEN = new AccessToken("eyJhbGciOiJSUzI1NiJ9.the-access-token.sig");
    private static final RefreshToken REFRESH_TOKEN = new RefreshToken("the-refresh-token-f00d");
    private static final String SECRET = "s3cr3t&x";

    private record Received(String method, String contentType, String authorization, String body) {
    }

    private final BlockingQueue<Received> received = new ArrayBlockingQueue<>(4);
    private HttpServer provider;
    private volatile int status = 200;
    private volatile Duration delay = Duration.ZERO;

    private URI startProvider() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/revoke", exchange -> {
            received.add(new Received(exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        provider.start();
        return URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/revoke");
    }

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop(0);
        }
    }

    private static MicronautHttpTokenRevocation revocation(URI endpoint, ClientAuthentication authentication)
            throws IOException {
        HttpClient client = PortalClients.create(new URL("http://127.0.0.1:" + endpoint.getPort()));
        return new MicronautHttpTokenRevocation(client, endpoint, new TokenRequestSettings(
                URI.create("https://provider.test/token"), "our-client", Secret.of("client-secret", SECRET),
                URI.create("https://app.test/login/complete"), authentication));
    }

    @Test
    void revocation_posts_the_token_with_the_access_token_hint_and_client_secret_basic() throws Exception {
        revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_BASIC).revoke(TOKEN);

        Received request = received.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(request.body()).isEqualTo("token=" + TOKEN.value() + "&token_type_hint=access_token");
        assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "our-client:s3cr3t%26x".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a_refresh_token_is_posted_with_the_refresh_token_hint() throws Exception {
        revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_BASIC).revoke(REFRESH_TOKEN);

        Received request = received.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.body()).isEqualTo("token=" + REFRESH_TOKEN.value() + "&token_type_hint=refresh_token");
    }

    @Test
    void a_refused_refresh_token_revocation_is_logged_with_its_hint_and_without_the_token() throws Exception {
        status = 503;
        try (CapturedLogs logs = new CapturedLogs()) {
            revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_POST).revoke(REFRESH_TOKEN);

            assertThat(logs.lines()).containsExactly(
                    "token revocation at sign-out refused: token_type_hint=refresh_token status=503");
        }
    }

    @Test
    void with_client_secret_post_the_credentials_are_in_the_form_and_there_is_no_authorization_header()
            throws Exception {
        revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_POST).revoke(TOKEN);

        Received request = received.poll(5, TimeUnit.SECONDS);
        assertThat(request.authorization()).isNull();
        assertThat(request.body()).isEqualTo("token=" + TOKEN.value()
                + "&token_type_hint=access_token&client_id=our-client&client_secret=s3cr3t%26x");
    }

    @Test
    void a_refused_revocation_is_one_warn_line_with_the_status_and_without_the_token_or_secret() throws Exception {
        status = 400;
        try (CapturedLogs logs = new CapturedLogs()) {
            revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_POST).revoke(TOKEN);

            assertThat(logs.lines()).containsExactly(
                    "token revocation at sign-out refused: token_type_hint=access_token status=400");
        }
    }

    @Test
    void a_slow_provider_is_given_up_on_within_the_read_timeout_and_logged_without_the_token() throws Exception {
        delay = PortalClients.READ_TIMEOUT.multipliedBy(3);
        MicronautHttpTokenRevocation revocation = revocation(startProvider(), ClientAuthentication.CLIENT_SECRET_POST);
        try (CapturedLogs logs = new CapturedLogs()) {
            long started = System.nanoTime();
            revocation.revoke(TOKEN);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(waited).isLessThan(delay);
            assertThat(logs.lines()).singleElement().asString()
                    .startsWith("token revocation at sign-out failed: ")
                    .doesNotContain(TOKEN.value(), SECRET);
        }
    }

    @Test
    void a_provider_that_is_down_is_logged_and_nothing_is_thrown() throws Exception {
        URL closed = PortalClients.closedPort();
        URI endpoint = URI.create(closed + "/revoke");
        try (CapturedLogs logs = new CapturedLogs()) {
            revocation(endpoint, ClientAuthentication.CLIENT_SECRET_POST).revoke(TOKEN);

            assertThat(logs.lines()).singleElement().asString()
                    .startsWith("token revocation at sign-out failed: ").doesNotContain(TOKEN.value());
        }
    }
}
