package pot.login.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code ./run-cluster} as the README has a reader run it (Redis, the sandbox, instances A and B, the balancer), only
 * on free ports and without a build inside this build: a login through the balancer, whose hops alternate between
 * the instances, then a sign-out that holds at both, then a person in Chromium, and last SIGTERM, after which nothing
 * the script started may remain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunClusterTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String INSTANCE_HEADER = "pot-login-instance";
    static final Duration STARTUP = Duration.ofSeconds(300);
    static final Duration SHUTDOWN = Duration.ofSeconds(40);

    static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    static Process script;
    static Path log;
    static int balancerPort;
    static int aPort;
    static int bPort;
    static int sandboxPort;
    static int redisPort;
    /** What the script had started once the cluster was up: its children, and theirs. */
    static List<ProcessHandle> started = List.of();

    @BeforeAll
    static void runTheScript() throws IOException, InterruptedException {
        balancerPort = freePort();
        aPort = freePort();
        bPort = freePort();
        sandboxPort = freePort();
        redisPort = freePort();
        log = Path.of(System.getProperty("basedir", "."), "target", "run-cluster.log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder("../run-cluster")
                .directory(Path.of(System.getProperty("basedir", ".")).toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("POT_LOGIN_CLUSTER_PORT", String.valueOf(balancerPort));
        environment.put("POT_LOGIN_CLUSTER_A_PORT", String.valueOf(aPort));
        environment.put("POT_LOGIN_CLUSTER_B_PORT", String.valueOf(bPort));
        environment.put("POT_LOGIN_CLUSTER_SANDBOX_PORT", String.valueOf(sandboxPort));
        environment.put("POT_LOGIN_CLUSTER_REDIS_PORT", String.valueOf(redisPort));
        // The reactor has just packaged the demo jar; Maven must not run inside Maven.
        environment.put("POT_LOGIN_CLUSTER_SKIP_BUILD", "1");
        script = builder.start();

        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!Files.readString(log).contains("sign in as demo / demo at http://localhost:" + balancerPort)) {
            if (!script.isAlive()) {
                throw new AssertionError("run-cluster exited with " + script.exitValue() + " before the cluster was up:\n"
                        + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run-cluster was not up within " + STARTUP + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        started = script.descendants().toList();
    }

    @AfterAll
    static void stopWhatIsLeft() throws InterruptedException {
        // Only when a test failed before the last one stopped the script: never leave a Redis or a JVM behind.
        if (script != null && script.isAlive()) {
            script.destroy();
            script.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void a_login_through_the_balancer_completes_on_the_other_instance_and_the_session_holds_on_a_and_on_b() {
        CookieJar browser = new CookieJar();

        HttpResponse<String> login = browser.send(get(balancer("/login")));
        assertThat(login.statusCode()).isEqualTo(303);
        URI authorize = location(login);
        assertThat(authorize.toString()).startsWith("http://127.0.0.1:" + sandboxPort + "/")
                .contains("redirect_uri=" + encoded("http://localhost:" + balancerPort + "/login/complete"));

        URI callback = signInAtPortal(authorize);
        assertThat(callback.toString()).startsWith("http://localhost:" + balancerPort + "/login/complete?");
        HttpResponse<String> completed = browser.send(get(callback));
        assertThat(completed.statusCode()).as("the callback; the cluster's output is in %s", log).isEqualTo(200);
        HttpResponse<String> me = browser.send(get(balancer("/me")));
        HttpResponse<String> meAgain = browser.send(get(balancer("/me")));

        // Round robin with nothing else sending: consecutive hops alternate, so the login that one instance started
        // was completed by the other, and /me was answered by both.
        assertThat(instance(completed)).isIn("a", "b").isNotEqualTo(instance(login));
        assertThat(List.of(instance(me), instance(meAgain))).containsExactlyInAnyOrder("a", "b");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(meAgain.statusCode()).isEqualTo(200);

        String session = browser.cookie(SESSION_COOKIE);
        assertThat(session).isNotBlank();
        for (int port : List.of(aPort, bPort)) {
            HttpResponse<String> direct = send(get(instance(port, "/me")).header("Cookie", SESSION_COOKIE + "=" + session));
            assertThat(direct.statusCode()).as("/me on localhost:%d", port).isEqualTo(200);
            assertThat(direct.body()).contains("\"id\":\"demo\"", "\"name\":\"Demo User\"");
        }
    }

    @Test
    @Order(2)
    void a_sign_out_through_the_balancer_holds_on_both_instances_for_a_copy_of_the_old_session_cookie() {
        CookieJar browser = new CookieJar();
        browser.send(get(balancer("/login")));
        URI callback = signInAtPortal(location(browser.last));
        assertThat(browser.send(get(callback)).statusCode()).isEqualTo(200);
        String copy = browser.cookie(SESSION_COOKIE);
        for (int port : List.of(aPort, bPort)) {
            assertThat(send(get(instance(port, "/me")).header("Cookie", SESSION_COOKIE + "=" + copy)).statusCode())
                    .as("signed in on localhost:%d before the sign-out", port).isEqualTo(200);
        }

        // As the demo page's form sends it: from the balancer's origin, the redirect URI's.
        HttpResponse<String> signOut = browser.send(HttpRequest.newBuilder(balancer("/logout"))
                .header("Origin", "http://localhost:" + balancerPort)
                .header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(signOut.statusCode()).as("the sign-out's answer").isEqualTo(303);
        assertThat(browser.cookie(SESSION_COOKIE)).as("the browser's cookie is gone").isNull();

        for (int port : List.of(aPort, bPort)) {
            assertThat(send(get(instance(port, "/me")).header("Cookie", SESSION_COOKIE + "=" + copy)).statusCode())
                    .as("the old cookie on localhost:%d after a sign-out through the balancer", port).isEqualTo(401);
        }
    }

    @Test
    @Order(3)
    void a_person_signs_in_through_the_balancer_in_chromium_and_sees_their_name() {
        try (Chromium chromium = Chromium.start()) {
            ChromeDriver driver = chromium.driver;
            driver.get(balancer("/").toString());
            driver.findElement(By.id("sign-in")).click();
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
            wait.until(d -> d.getCurrentUrl().startsWith("http://127.0.0.1:" + sandboxPort + "/")
                    && !d.findElements(By.name("username")).isEmpty());
            driver.findElement(By.name("username")).sendKeys("demo");
            driver.findElement(By.name("password")).sendKeys("demo");
            driver.findElement(By.cssSelector("button[name=action][value=sign-in]")).click();

            wait.until(d -> d.getCurrentUrl().equals(balancer("/").toString())
                    && !d.findElements(By.id("user-name")).isEmpty());
            assertThat(driver.findElement(By.id("user-name")).getText()).isEqualTo("Demo User");
            chromium.screenshot("signed-in-through-the-balancer");
        }
    }

    @Test
    @Order(4)
    void after_sigterm_to_the_script_nothing_it_started_is_left_and_no_port_answers() throws InterruptedException {
        assertThat(started).as("what run-cluster started: " + describe(started))
                // Debian's redis-server is a link to redis-check-rdb, the executable the process names.
                .anySatisfy(process -> assertThat(command(process)).containsPattern("/redis-(server|check-rdb)$"))
                .filteredOn(process -> command(process).endsWith("/java")).hasSize(4);

        script.destroy(); // SIGTERM
        assertThat(script.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)).as("the script exited").isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (started.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(started.stream().filter(ProcessHandle::isAlive).toList()).as("still running after the script")
                .isEmpty();
        for (int port : List.of(balancerPort, aPort, bPort, sandboxPort, redisPort)) {
            assertThat(listens(port)).as("something still listens on port %d", port).isFalse();
        }
    }

    // --- the scripted browser: one hop at a time ---

    /**
     * One browser's cookies for the site {@code localhost}, kept by hand: java.net.CookieManager never sends a Secure
     * cookie over http, and every cookie of the app is Secure ({@code __Host-}); browsers treat http://localhost as a
     * secure context and do send them.
     */
    static final class CookieJar {

        final Map<String, String> cookies = new LinkedHashMap<>();
        HttpResponse<String> last;

        HttpResponse<String> send(HttpRequest.Builder request) {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            last = RunClusterTest.send(request);
            for (String setCookie : last.headers().allValues("Set-Cookie")) {
                String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
                if (setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(nameValue[0]);
                } else {
                    cookies.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
                }
            }
            return last;
        }

        String cookie(String name) {
            return cookies.get(name);
        }
    }

    /** The portal's form sent as the README's curl sign-in sends it: its fields, the credentials, the button. */
    private static URI signInAtPortal(URI authorize) {
        String form = authorize.getRawQuery() + "&username=demo&password=demo&action=sign-in";
        HttpResponse<String> answer = send(HttpRequest.newBuilder(authorize.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(answer.statusCode()).as("the portal's answer to the sign-in: %s", answer.body()).isEqualTo(302);
        return location(answer);
    }

    private static HttpRequest.Builder get(URI uri) {
        return HttpRequest.newBuilder(uri).header("Accept", "text/html,application/json;q=0.9").GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String instance(HttpResponse<?> response) {
        return response.headers().firstValue(INSTANCE_HEADER)
                .orElseThrow(() -> new AssertionError("no " + INSTANCE_HEADER + " on the answer from " + response.uri()));
    }

    private static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location on a " + response.statusCode() + " from " + response.uri())));
    }

    private static URI balancer(String path) {
        return URI.create("http://localhost:" + balancerPort + path);
    }

    private static URI instance(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String encoded(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Whether anything accepts connections on the port, at any of localhost's addresses (IPv4 or IPv6). */
    private static boolean listens(int port) {
        try {
            for (InetAddress address : InetAddress.getAllByName("localhost")) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 500);
                    return true;
                } catch (IOException refused) {
                    // Try the next address.
                }
            }
            return false;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String command(ProcessHandle process) {
        return process.info().command().orElse("");
    }

    private static String describe(List<ProcessHandle> processes) {
        List<String> lines = new ArrayList<>();
        processes.forEach(p -> lines.add(p.pid() + " " + command(p)));
        return String.join(", ", lines);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
