package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.app.system.ScriptedBrowser.queryParameter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pot.login.app.Application;
import pot.login.app.ChildJvm;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * The app in a JVM of its own, with its own logback.xml and {@code POT_LOGIN_LOG_FORMAT} as an operator sets it, in a
 * time zone that is not UTC: a sign-in, a refused callback and a sign-out, then every line it wrote is read.
 */
class LogFormatSystemTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** RFC 3339 in UTC, the level, the logger, the message: the readable format of every line. */
    private static final Pattern TEXT_LINE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z (TRACE|DEBUG|INFO |WARN |ERROR) \\S+ - .+");
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private PortalSandbox sandbox;
    private Process app;
    private Path stdout;
    private Path stderr;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (sandbox != null) {
            sandbox.close();
        }
        for (Path file : new Path[] {stdout, stderr}) {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Test
    void with_pot_login_log_format_json_every_line_is_one_json_object_with_the_login_events_as_named_fields()
            throws Exception {
        List<JsonNode> lines = runOneSignInAndOneRefusal("json").stream().map(LogFormatSystemTest::json).toList();

        for (JsonNode line : lines) {
            assertThat(line.path("timestamp").asText()).as("timestamp of %s", line).endsWith("Z");
            assertThat(Instant.parse(line.path("timestamp").asText())).as("timestamp of %s", line).isNotNull();
            assertThat(line.path("level").asText()).as("level of %s", line).matches("TRACE|DEBUG|INFO|WARN|ERROR");
            assertThat(line.path("logger").asText()).as("logger of %s", line).isNotBlank();
            assertThat(line.path("message").isTextual()).as("message of %s", line).isTrue();
        }
        JsonNode started = event(lines, "login_started");
        JsonNode completed = event(lines, "login_completed");
        assertThat(completed.path("login").asText()).isEqualTo(started.path("login").asText()).isNotBlank();
        assertThat(completed.path("subject").asText()).isNotBlank();
        JsonNode refused = event(lines, "login_refused");
        assertThat(refused.path("reason").asText()).isEqualTo("state_invalid");
        assertThat(refused.path("detail").isTextual()).isTrue();
        assertThat(event(lines, "sign_out").path("subject").asText()).isEqualTo(completed.path("subject").asText());
        assertThat(completed.path("logger").asText()).isEqualTo("pot.login.adapters.http.LoginController");
        assertThat(completed.path("message").asText()).isEqualTo("login completed");
    }

    @Test
    void by_default_every_line_is_readable_text_in_utc_with_the_login_events_fields_after_the_message()
            throws Exception {
        List<String> lines = runOneSignInAndOneRefusal(null);

        // Micronaut's banner comes first, as before this format had a name; every line after it is a log line.
        List<String> logLines = lines.subList(lines.indexOf(lines.stream()
                .filter(line -> TEXT_LINE.matcher(line).matches()).findFirst().orElseThrow(() -> new AssertionError(
                        "no line with an RFC 3339 UTC timestamp, level, logger and message: " + lines))), lines.size());
        assertThat(lines.indexOf(logLines.getFirst())).as("lines of the banner").isLessThanOrEqualTo(6);
        assertThat(logLines).as("the text lines").allMatch(line -> TEXT_LINE.matcher(line).matches());
        assertThat(lines).anyMatch(line -> line.matches(
                ".* INFO  p\\.l\\.a\\.h\\.LoginController - login completed event=\"login_completed\" "
                        + "login=\"[^\"]+\" subject=\"[^\"]+\""));
        assertThat(lines).anyMatch(line -> line.matches(
                ".* - login refused event=\"login_refused\" login=\"[^\"]*\" reason=\"state_invalid\" detail=\".+\""));
        assertThat(lines).anyMatch(line -> line.matches(".* - sign-out event=\"sign_out\" subject=\"[^\"]+\""));
        // A line without key-value pairs ends with its message.
        assertThat(lines).anyMatch(line -> line.contains("Startup completed") && !line.endsWith(" "));
    }

    @Test
    void a_log_format_that_is_neither_text_nor_json_stops_the_app_before_it_starts() throws Exception {
        startApp("yaml", PotLoginWithSandbox.freePort());

        assertThat(app.waitFor(60, TimeUnit.SECONDS)).as("the app exits").isTrue();
        assertThat(app.exitValue()).isEqualTo(1);
        assertThat(Files.readString(stderr)).contains(
                "pot-login cannot start: POT_LOGIN_LOG_FORMAT is neither text nor json: yaml");
    }

    /** The stdout lines of the app after a sign-in, a tampered callback and a sign-out. */
    private List<String> runOneSignInAndOneRefusal(String format) throws Exception {
        int port = PotLoginWithSandbox.freePort();
        startApp(format, port);
        awaitAnswer(port);
        URI app = URI.create("http://localhost:" + port);

        ScriptedBrowser user = new ScriptedBrowser();
        URI callback = location(user.signInAtPortal(location(user.get(app.resolve("/login"))), "demo", "demo",
                "sign-in"));
        assertThat(user.get(callback).statusCode()).isEqualTo(200);
        assertThat(user.post(app.resolve("/logout")).statusCode()).isEqualTo(303);
        ScriptedBrowser tamperer = new ScriptedBrowser();
        URI tampered = location(tamperer.signInAtPortal(location(tamperer.get(app.resolve("/login"))), "demo",
                "demo", "sign-in"));
        String state = queryParameter(tampered, "state");
        assertThat(tamperer.get(URI.create(tampered.toString()
                .replace(state, state.substring(0, state.length() - 2) + "AA"))).statusCode()).isEqualTo(400);

        this.app.destroy();
        assertThat(this.app.waitFor(30, TimeUnit.SECONDS)).as("the app stops on SIGTERM").isTrue();
        List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
        assertThat(lines).as("the app's output").isNotEmpty();
        return lines;
    }

    private void startApp(String format, int port) throws IOException {
        URI redirectUri = URI.create("http://localhost:" + port + "/login/complete");
        sandbox = PortalSandbox.start(SandboxSettings.defaults().withPort(0)
                        .withClients(List.of(new RegisteredClient(PotLoginWithSandbox.CLIENT_ID,
                                PotLoginWithSandbox.CLIENT_SECRET, List.of(redirectUri.toString())))),
                Map.of("pot-login.enabled", false));
        Map<String, String> variables = new HashMap<>();
        variables.put("MICRONAUT_ENVIRONMENTS", "log-format");
        variables.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        variables.put("MICRONAUT_SERVER_HOST", "localhost");
        variables.put("POT_LOGIN_API_ROOT", sandbox.uri().toString());
        variables.put("POT_LOGIN_ISSUER", sandbox.issuer());
        variables.put("POT_LOGIN_CLIENT_ID", PotLoginWithSandbox.CLIENT_ID);
        variables.put("POT_LOGIN_CLIENT_SECRET", PotLoginWithSandbox.CLIENT_SECRET);
        variables.put("POT_LOGIN_REDIRECT_URI", redirectUri.toString());
        variables.put("POT_LOGIN_STATE_SIGNING_KEY_ID", "k1");
        variables.put("POT_LOGIN_STATE_KEYS_K1", PotLoginWithSandbox.STATE_KEY);
        if (format != null) {
            variables.put("POT_LOGIN_LOG_FORMAT", format);
        }
        stdout = Files.createTempFile("log-format", ".out");
        stderr = Files.createTempFile("log-format", ".err");
        // The app's own logback.xml, not the tests' logback-test.xml that the classpath also has; and a zone that is
        // not UTC, so that a timestamp in local time would show.
        app = ChildJvm.processBuilder(Application.class, variables,
                        List.of("-Dlogback.configurationFile=" + ClassLoader.getSystemResource("logback.xml"),
                                "-Duser.timezone=Pacific/Auckland"), List.of())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    }

    private void awaitAnswer(int port) throws Exception {
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/me"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertThat(app.isAlive()).as("the app runs: %s %s", Files.readString(stdout), Files.readString(stderr))
                    .isTrue();
            try {
                PROBE.send(probe, HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("the app answers within 90 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static JsonNode event(List<JsonNode> lines, String event) {
        return lines.stream().filter(line -> line.path("event").asText().equals(event)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " event in " + lines));
    }

    private static JsonNode json(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as("a JSON object: %s", line).isTrue();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
