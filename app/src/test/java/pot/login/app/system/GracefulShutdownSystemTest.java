package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static pot.login.app.system.ScriptedBrowser.location;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import pot.login.app.Application;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * SIGTERM while a login is under way, sent to the app running as it is deployed: {@link Application#main} in a JVM of
 * its own. The login under way gets its landing page and session (its code is already at the portal, and a code is
 * single use), new connections are refused, and the process exits; a request that outlives the grace period is cut,
 * and the process exits anyway.
 *
 * <p>The app's token endpoint is a door in front of the sandbox that holds the token request until the test opens it,
 * so that the signal lands while the callback waits on the portal, however slow the machine.
 */
class GracefulShutdownSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    /** {@code micronaut.lifecycle.graceful-shutdown.grace-period} in application.yml: the tests run what ships. */
    static final Duration GRACE_PERIOD = Duration.ofSeconds(15);
    /** 128 + SIGTERM (15): the JVM ended because of the signal, not on an error or a {@code System.exit} of its own. */
    static final int EXIT_ON_SIGTERM = 143;
    /** For the JVM to end once the server has stopped; generous, for a loaded 2-core machine. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(5);

    private static final HttpClient PATIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final ExecutorService browserThread = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "browser");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stopTheBrowser() {
        browserThread.shutdownNow();
    }

    @Test
    void a_login_under_way_at_sigterm_gets_its_landing_page_while_new_connections_are_refused_and_then_the_app_exits(
            TestInfo test) throws Exception {
        try (Setup setup = Setup.start(test)) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI callback = setup.callbackFor(browser);
            Future<HttpResponse<String>> landing = browserThread.submit(() -> follow(callback, browser));
            setup.portal.awaitTokenRequest();

            long sigterm = setup.app.terminate();
            setup.app.awaitConnectionsRefused();
            assertThat(landing.isDone()).as("the callback still waits on the portal").isFalse();
            assertThat(setup.app.process.isAlive()).as("the app waits for the login under way").isTrue();
            setup.portal.release();

            HttpResponse<String> page = answerTo(landing, setup);
            assertThat(page.statusCode()).as(setup.app.logTail()).isEqualTo(200);
            assertThat(Jsoup.parse(page.body()).selectFirst("meta[http-equiv=refresh]")).isNotNull();
            assertThat(page.body().strip()).endsWith("</html>");
            String token = sessionTokenSetBy(page);
            assertThat(token).startsWith("ey");
            assertThat(setup.portalKnowsTheBearerOf(token)).as("the session's token is the portal's own").isTrue();

            Duration exitedAfter = setup.app.awaitExit(GRACE_PERIOD.plus(EXIT_MARGIN), sigterm);
            assertThat(exitedAfter).as("exits once the login is done, not at the end of the grace period")
                    .isLessThan(GRACE_PERIOD);
            assertThat(setup.app.process.exitValue()).as(setup.app.logTail()).isEqualTo(EXIT_ON_SIGTERM);
        }
    }

    @Test
    void a_request_that_outlives_the_grace_period_is_cut_and_the_app_exits_anyway(TestInfo test) throws Exception {
        try (Setup setup = Setup.start(test)) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI callback = setup.callbackFor(browser);
            Future<HttpResponse<String>> landing = browserThread.submit(() -> follow(callback, browser));
            setup.portal.awaitTokenRequest();

            long sigterm = setup.app.terminate();
            Duration exitedAfter = setup.app.awaitExit(GRACE_PERIOD.plus(EXIT_MARGIN), sigterm);

            assertThat(exitedAfter).as("the grace period was granted").isGreaterThanOrEqualTo(GRACE_PERIOD);
            assertThat(setup.app.process.exitValue()).as(setup.app.logTail()).isEqualTo(EXIT_ON_SIGTERM);
            // Cut: the connection closes; or, when the app's call to the portal is cut a moment before, the app's own
            // 502. Never a session.
            try {
                HttpResponse<String> late = landing.get(10, TimeUnit.SECONDS);
                assertThat(late.statusCode()).as(setup.app.logTail()).isEqualTo(502);
                assertThat(late.body()).contains("portal_unavailable");
                assertThat(late.headers().allValues("Set-Cookie"))
                        .noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "="));
            } catch (ExecutionException cut) {
                assertThat(cut).hasRootCauseInstanceOf(IOException.class);
            }
        }
    }

    /** The sandbox, the door in front of its token endpoint, and the app in its own process, pointed at both. */
    private record Setup(PortalSandbox sandbox, HeldTokenEndpoint portal, AppProcess app) implements AutoCloseable {

        static Setup start(TestInfo test) throws IOException {
            int appPort = freePort();
            URI redirectUri = URI.create("http://localhost:" + appPort + "/login/complete");
            PortalSandbox sandbox = PortalSandbox.start(SandboxSettings.defaults()
                            .withPort(0)
                            .withClients(List.of(new RegisteredClient(PotLoginWithSandbox.CLIENT_ID,
                                    PotLoginWithSandbox.CLIENT_SECRET, List.of(redirectUri.toString())))),
                    Map.of("pot-login.enabled", false));
            HeldTokenEndpoint portal = null;
            try {
                portal = new HeldTokenEndpoint(sandbox.uri());
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("micronaut.server.port", String.valueOf(appPort));
                settings.put("micronaut.server.host", "localhost");
                // Longer than the grace period: the app's own timeout must not end a held token request first.
                settings.put("micronaut.http.services.portal.read-timeout", "60s");
                settings.put("pot-login.sandbox.start", "false");
                settings.put("pot-login.api-root", portal.uri().toString());
                settings.put("pot-login.authorize-uri", sandbox.uri().resolve("/").toString());
                settings.put("pot-login.jwks-uri", sandbox.uri().resolve("/keys/jwks.json").toString());
                settings.put("pot-login.issuer", sandbox.issuer());
                settings.put("pot-login.client-id", PotLoginWithSandbox.CLIENT_ID);
                settings.put("pot-login.client-secret", PotLoginWithSandbox.CLIENT_SECRET);
                settings.put("pot-login.redirect-uri", redirectUri.toString());
                settings.put("pot-login.state.signing-key-id", "system-1");
                settings.put("pot-login.state.keys.system-1", PotLoginWithSandbox.STATE_KEY);
                String name = test.getTestMethod().orElseThrow().getName();
                Path log = Path.of("target", "graceful-shutdown", name + ".log");
                return new Setup(sandbox, portal, AppProcess.start(appPort, settings, log));
            } catch (IOException | RuntimeException | Error e) {
                try {
                    if (portal != null) {
                        portal.close();
                    }
                } finally {
                    sandbox.close();
                }
                throw e;
            }
        }

        /** Runs {@code /login} and the portal's form in this browser; returns the callback URL, not yet followed. */
        URI callbackFor(ScriptedBrowser browser) {
            URI authorize = location(browser.get(app.uri("/login")));
            return location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
        }

        boolean portalKnowsTheBearerOf(String token) throws IOException, InterruptedException {
            HttpResponse<String> me = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(sandbox.uri().resolve("/api/me"))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString());
            return me.statusCode() == 200 && me.body().contains("\"demo\"");
        }

        @Override
        public void close() {
            try {
                app.close();
            } finally {
                try {
                    portal.close();
                } finally {
                    sandbox.close();
                }
            }
        }
    }

    /** pot-login started by its own {@code main}, as in production, its output in a file for the failure message. */
    private static final class AppProcess implements AutoCloseable {

        private static final Duration START_WITHIN = Duration.ofSeconds(90);
        private static final Duration REFUSED_WITHIN = Duration.ofSeconds(10);
        private static final HttpClient PROBE = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .build();

        final Process process;
        private final int port;
        private final Path log;

        private AppProcess(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        static AppProcess start(int port, Map<String, String> settings, Path log) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            settings.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Application.class.getName());
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            AppProcess app = new AppProcess(process, port, log);
            try {
                app.awaitReady();
                return app;
            } catch (RuntimeException | Error e) {
                app.close();
                throw e;
            }
        }

        URI uri(String path) {
            return URI.create("http://localhost:" + port + path);
        }

        /** Sends SIGTERM, as a container platform or systemd does to stop a service; returns when (nanoTime). */
        long terminate() {
            // destroy() is SIGTERM exactly where the JDK says it terminates the process normally (Unix).
            assertThat(process.supportsNormalTermination()).as("destroy() sends SIGTERM on this platform").isTrue();
            long now = System.nanoTime();
            process.destroy();
            return now;
        }

        void awaitConnectionsRefused() throws InterruptedException {
            long deadline = System.nanoTime() + REFUSED_WITHIN.toNanos();
            while (!refusesConnections()) {
                if (System.nanoTime() > deadline) {
                    fail("still accepting new connections " + REFUSED_WITHIN.toSeconds() + " s after SIGTERM\n"
                            + logTail());
                }
                Thread.sleep(20);
            }
        }

        /** How long after {@code since} (nanoTime) the process ended; fails if it still runs after {@code within}. */
        Duration awaitExit(Duration within, long since) throws InterruptedException {
            long deadline = since + within.toNanos();
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                fail("still running " + within.toSeconds() + " s after SIGTERM\n" + logTail());
            }
            return Duration.ofNanos(System.nanoTime() - since);
        }

        /** True when a new TCP connection is refused; an accepted one, or a timeout, is not a refusal. */
        private boolean refusesConnections() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName("localhost"), port), 2_000);
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (SocketTimeoutException slow) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitReady() {
            long deadline = System.nanoTime() + START_WITHIN.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    fail("the app ended while starting, exit " + process.exitValue() + "\n" + logTail());
                }
                try {
                    HttpResponse<String> home = PROBE.send(HttpRequest.newBuilder(uri("/"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    if (home.statusCode() == 200) {
                        assertThat(refusesConnections()).as("the refusal probe, against a listening app").isFalse();
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                sleep(Duration.ofMillis(200));
            }
            fail("the app did not answer within " + START_WITHIN.toSeconds() + " s\n" + logTail());
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return "--- the app's output (" + log + ") ---\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void sleep(Duration duration) {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The app's API root: holds each token request until {@link #release()}, then passes it to the sandbox and its
     * answer back. The JDK's own HTTP server and client, so that nothing is shared with the app under test.
     */
    private static final class HeldTokenEndpoint implements AutoCloseable {

        private static final Duration ARRIVES_WITHIN = Duration.ofSeconds(30);
        /** Bounds a test that never releases, so that no thread outlives it by much. */
        private static final Duration HOLD_AT_MOST = Duration.ofSeconds(60);

        private final URI sandbox;
        private final HttpClient forward = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "held-token-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final HttpServer server;
        private volatile boolean closed;

        HeldTokenEndpoint(URI sandbox) throws IOException {
            this.sandbox = sandbox;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(workers);
            server.createContext(FaultyPortal.TOKEN_PATH, this::handle);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void awaitTokenRequest() throws InterruptedException {
            assertThat(arrived.await(ARRIVES_WITHIN.toMillis(), TimeUnit.MILLISECONDS))
                    .as("the app's token request reached the portal").isTrue();
        }

        void release() {
            released.countDown();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                arrived.countDown();
                released.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) {
                    answer(exchange, 503, "text/plain", new byte[0]);
                    return;
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(sandbox.resolve(FaultyPortal.TOKEN_PATH))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .timeout(Duration.ofSeconds(10));
                for (String name : List.of("Content-Type", "Accept", "Authorization")) {
                    String value = exchange.getRequestHeaders().getFirst(name);
                    if (value != null) {
                        request.header(name, value);
                    }
                }
                HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer(exchange, response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse("application/json"), response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The app hung up first (its shutdown cut the request): what the second test expects.
            }
        }

        private static void answer(HttpExchange exchange, int status, String contentType, byte[] body)
                throws IOException {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        @Override
        public void close() {
            closed = true;
            released.countDown();
            server.stop(0);
            workers.shutdownNow();
        }
    }

    /**
     * Follows the callback with this browser's cookies and no timeout of its own: a browser waits on a navigation far
     * longer than any grace period, while {@link ScriptedBrowser} gives up after 15 s.
     */
    private static HttpResponse<String> follow(URI callback, ScriptedBrowser browser) throws IOException,
            InterruptedException {
        return PATIENT.send(HttpRequest.newBuilder(callback).header("Cookie", browser.cookieHeader(callback))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> answerTo(Future<HttpResponse<String>> landing, Setup setup)
            throws InterruptedException, TimeoutException {
        try {
            return landing.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the login under way got no answer: " + e.getCause() + "\n"
                    + setup.app.logTail(), e);
        }
    }

    private static String sessionTokenSetBy(HttpResponse<?> response) {
        return ScriptedBrowser.value(ScriptedBrowser.setCookie(response, SESSION_COOKIE));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
