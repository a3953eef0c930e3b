package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.adapters.redis.RedisServer;

/**
 * micronaut-management's health endpoints as a probe reaches them: readiness follows the portal's keys and the store,
 * liveness follows neither, probes cannot hammer the portal, only status is shown, the endpoints listen on the
 * management port only, and the management endpoints the app does not need do not exist (docs/operations.md).
 */
class HealthSystemTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final AtomicBoolean jwksAnswers = new AtomicBoolean(true);
    private HttpServer jwks;
    private EmbeddedServer app;
    private int managementPort;

    @BeforeEach
    void startThePortalsKeys() throws Exception {
        String keySet = new JWKSet(new RSAKeyGenerator(2048).keyID("health-1").generate().toPublicJWK()).toString();
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = jwksAnswers.get() ? keySet.getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(jwksAnswers.get() ? 200 : 503, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.getApplicationContext().close();
        }
        jwks.stop(0);
    }

    @Test
    void readiness_is_up_while_the_portals_keys_can_be_had_and_twenty_probes_fetch_them_once() throws Exception {
        start(Map.of());

        for (int probe = 0; probe < 20; probe++) {
            assertThat(get(managementPort, "/health/readiness")).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));
        }
        assertThat(get(managementPort, "/health")).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));
        assertThat(jwksRequests).as("JWKS fetches for 21 probes").hasValue(1);
    }

    @Test
    void readiness_is_down_while_the_portals_keys_cannot_be_had_and_liveness_stays_up() throws Exception {
        jwksAnswers.set(false);
        start(Map.of());

        for (int probe = 0; probe < 20; probe++) {
            assertThat(get(managementPort, "/health/readiness")).isEqualTo(new Answer(503, "{\"status\":\"DOWN\"}"));
            assertThat(get(managementPort, "/health/liveness")).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));
        }
        assertThat(get(managementPort, "/health").status()).isEqualTo(503);
        assertThat(jwksRequests).as("JWKS fetches for 41 probes while it fails").hasValue(1);
    }

    @Test
    void with_details_shown_to_a_monitoring_network_readiness_names_what_is_down_and_why() throws Exception {
        jwksAnswers.set(false);
        start(Map.of("endpoints.health.details-visible", "ANONYMOUS"));

        Answer readiness = get(managementPort, "/health/readiness");

        assertThat(readiness.status()).isEqualTo(503);
        assertThat(readiness.body()).contains("\"portal-keys\":{\"name\":\"pot-login\",\"status\":\"DOWN\","
                        + "\"details\":{\"error\":\"cannot load the portal's signing keys from JWKS at http://127.0.0.1:"
                        + jwks.getAddress().getPort() + "/jwks: ")
                .contains("\"store\":{\"name\":\"pot-login\",\"status\":\"UP\",\"details\":{\"source\":\"memory\"}}");
    }

    @Test
    void readiness_is_down_while_the_shared_store_does_not_answer_and_up_while_it_does() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            start(Map.of("pot-login.store", "redis", "pot-login.redis.uri", redis.uri().toString(),
                    "pot-login.health.cache-ttl", "0s"));
            assertThat(get(managementPort, "/health/readiness")).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));

            redis.pause();
            try {
                long started = System.nanoTime();
                assertThat(get(managementPort, "/health/readiness"))
                        .isEqualTo(new Answer(503, "{\"status\":\"DOWN\"}"));
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("bounded by the Redis timeouts")
                        .isLessThan(Duration.ofSeconds(2));
                assertThat(get(managementPort, "/health/liveness")).isEqualTo(new Answer(200, "{\"status\":\"UP\"}"));
            } finally {
                redis.resume();
            }
        }
    }

    @Test
    void with_the_redis_store_readiness_pings_over_the_stores_own_connection_not_a_new_one_per_probe()
            throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            start(Map.of("pot-login.store", "redis", "pot-login.redis.uri", redis.uri().toString(),
                    "pot-login.health.cache-ttl", "0s", "endpoints.health.details-visible", "ANONYMOUS"));
            Answer first = get(managementPort, "/health/readiness");
            long clients = redis.admin().clientList().lines().count();

            for (int probe = 0; probe < 10; probe++) {
                assertThat(get(managementPort, "/health/readiness").status()).isEqualTo(200);
            }

            assertThat(first.body())
                    .contains("\"store\":{\"name\":\"pot-login\",\"status\":\"UP\",\"details\":{\"source\":\"redis: PONG\"}}")
                    .doesNotContain("\"redis\":{");
            assertThat(redis.admin().clientList().lines().count()).as("Redis clients after 10 more probes")
                    .isEqualTo(clients);
        }
    }

    @Test
    void the_health_and_scrape_endpoints_listen_on_the_management_port_and_the_app_on_its_own_port_only()
            throws Exception {
        start(Map.of());
        int appPort = app.getPort();

        assertThat(get(managementPort, "/health/liveness").status()).isEqualTo(200);
        assertThat(get(appPort, "/health").status()).isEqualTo(404);
        assertThat(get(appPort, "/health/readiness").status()).isEqualTo(404);
        assertThat(get(appPort, "/prometheus").status()).isEqualTo(404);
        assertThat(get(managementPort, "/login").status()).isEqualTo(404);
        assertThat(get(managementPort, "/").status()).isEqualTo(404);
        assertThat(get(appPort, "/login").status()).isEqualTo(303);
    }

    @Test
    void a_probe_that_names_the_pods_address_as_host_and_sends_no_origin_is_answered() throws Exception {
        start(Map.of());

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), managementPort)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /health/readiness HTTP/1.1\r\nHost: 10.1.2.3:" + managementPort
                    + "\r\nUser-Agent: kube-probe/1.31\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{\"status\":\"UP\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/beans", "/env", "/loggers", "/routes", "/threaddump", "/refresh", "/info", "/stop"})
    void the_management_endpoints_the_app_does_not_need_do_not_exist_on_either_port(String path) throws Exception {
        start(Map.of());

        for (int port : List.of(managementPort, app.getPort())) {
            assertThat(get(port, path).status()).as("GET " + path + " on " + port).isEqualTo(404);
            assertThat(post(port, path).status()).as("POST " + path + " on " + port).isIn(403, 404);
        }
    }

    private void start(Map<String, Object> extra) {
        managementPort = PotLoginWithSandbox.freePort();
        int appPort = PotLoginWithSandbox.freePort();
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("endpoints.all.port", managementPort);
        settings.put("pot-login.api-root", "http://127.0.0.1:1");
        settings.put("pot-login.jwks-uri", "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
        settings.put("pot-login.client-id", PotLoginWithSandbox.CLIENT_ID);
        settings.put("pot-login.client-secret", PotLoginWithSandbox.CLIENT_SECRET);
        settings.put("pot-login.redirect-uri", "http://localhost:" + appPort + "/login/complete");
        settings.put("pot-login.state.signing-key-id", "system-1");
        settings.put("pot-login.state.keys.system-1", PotLoginWithSandbox.STATE_KEY);
        settings.putAll(extra);
        app = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    private Answer get(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).GET());
    }

    private Answer post(int port, String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    record Answer(int status, String body) {
    }
}
