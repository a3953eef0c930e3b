package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.app.system.ScriptedBrowser.queryParameter;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole flow, successes and refusals, with every log line of the JVM (app and portal) captured, and then
 * looks for each secret the run handled: the client secret, the state key, every authorization code, every token,
 * every flow cookie's secret and every PKCE verifier. None may appear in a log line, a page, an error body or a redirect URL, except the code in the
 * portal's own callback redirect, the token in the session cookie and a flow secret in its own flow cookie, which is
 * where each belongs. It runs in each log format of the app's own logback.xml ({@code POT_LOGIN_LOG_FORMAT}), and
 * reads the lines as that format's encoder writes them: a JSON line that escaped a secret differently, or a text line
 * that shows a key-value pair the message does not, would be missed by looking at the events alone.
 */
class NothingLeaksSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String FLOW_COOKIE_PREFIX = "__Host-pot-flow-";

    private static final ObjectMapper JSON = new ObjectMapper();

    PotLoginWithSandbox servers;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    LoggerContext logging;
    final Set<String> codes = new LinkedHashSet<>();
    final Set<String> tokens = new LinkedHashSet<>();
    final Set<String> verifiers = new LinkedHashSet<>();
    final Set<String> flowSecrets = new LinkedHashSet<>();
    final List<ScriptedBrowser> browsers = new ArrayList<>();

    /** The app's logback.xml in {@code format}, its appender's encoder writing every line into {@link #lines}. */
    private void captureEveryLogLineIn(String format) {
        logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.reset();
        logging.putProperty("POT_LOGIN_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logging);
        try {
            configurator.doConfigure(ClassLoader.getSystemResource("logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("the app's logback.xml does not load in format " + format, e);
        }
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender(format);
        assertThat(console).as("the appender that POT_LOGIN_LOG_FORMAT=%s chooses", format).isNotNull();
        Encoder<ILoggingEvent> encoder = console.getEncoder();
        root.detachAppender(console);
        console.stop();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        };
        capture.setContext(logging);
        capture.start();
        root.addAppender(capture);
        // Everything our code logs, at any level, and the frameworks from INFO up.
        root.setLevel(Level.INFO);
        logging.getLogger("pot.login").setLevel(Level.DEBUG);
    }

    @AfterEach
    void stop() throws JoranException {
        if (servers != null) {
            servers.close();
        }
        logging.reset();
        new ContextInitializer(logging).autoConfig();
    }

    @ParameterizedTest(name = "POT_LOGIN_LOG_FORMAT={0}")
    @ValueSource(strings = {"text", "json"})
    void no_secret_token_code_or_verifier_appears_in_logs_pages_error_bodies_or_redirects(String format) {
        captureEveryLogLineIn(format);
        servers = PotLoginWithSandbox.start(Map.of("pot-login.callback-issuer-required", true));

        // A successful sign-in, /me, the demo page and sign-out.
        ScriptedBrowser user = browser();
        URI callback = observe(servers.callbackFor(user, "/me"));
        user.get(callback);
        user.get(servers.app("/me"));
        user.get(servers.app("/"));
        user.post(servers.app("/logout"));

        // Each kind of refusal.
        observe(servers.callbackFor(browser(), "/"));                                        // abandoned at the callback
        browser().get(observe(servers.callbackFor(browser(), "/")));                         // login CSRF: not bound
        ScriptedBrowser replayer = browser();
        URI replayed = observe(servers.callbackFor(replayer, "/"));
        Map<String, String> flows = replayer.cookies(servers.app("/"));
        replayer.get(replayed);
        ScriptedBrowser withCopy = browser();
        flows.forEach((name, value) -> withCopy.plantCookie(servers.app("/"), name, value));
        withCopy.get(replayed);                                                       // state replayed
        ScriptedBrowser tamperer = browser();
        URI tampered = observe(servers.callbackFor(tamperer, "/"));
        String state = queryParameter(tampered, "state");
        tamperer.get(URI.create(tampered.toString().replace(state, state.substring(0, state.length() - 2) + "AA")));
        ScriptedBrowser wrongCode = browser();
        URI withCode = observe(servers.callbackFor(wrongCode, "/"));
        String code = queryParameter(withCode, "code");
        wrongCode.get(URI.create(withCode.toString().replace(code, code.substring(1) + "x")));   // code rejected
        ScriptedBrowser wrongIssuer = browser();
        URI withIss = observe(servers.callbackFor(wrongIssuer, "/"));
        wrongIssuer.get(URI.create(withIss.toString().replaceAll("iss=[^&]*", "iss=https%3A%2F%2Fevil.example")));
        ScriptedBrowser canceller = browser();
        canceller.get(location(canceller.signInAtPortal(location(canceller.get(servers.app("/login"))), "", "",
                "cancel")));
        ScriptedBrowser wrongPassword = browser();
        wrongPassword.signInAtPortal(location(wrongPassword.get(servers.app("/login"))), "demo", "wrong", "sign-in");

        for (ScriptedBrowser browser : browsers) {
            for (HttpResponse<String> response : browser.history()) {
                tokens.addAll(sessionTokensSetBy(response));
                flowSecrets.addAll(flowSecretsSetBy(response));
            }
        }
        flowSecrets.forEach(secret -> verifiers.add(verifierOf(secret)));
        assertThat(flowSecrets).hasSizeGreaterThanOrEqualTo(9);
        assertThat(codes).hasSizeGreaterThanOrEqualTo(7);
        assertThat(tokens).hasSizeGreaterThanOrEqualTo(1);

        Set<String> secrets = new LinkedHashSet<>();
        secrets.add(PotLoginWithSandbox.CLIENT_SECRET);
        secrets.add(PotLoginWithSandbox.STATE_KEY);
        secrets.add("demo-only");   // no demo secret of the sandbox setup either
        secrets.addAll(codes);
        secrets.addAll(tokens);
        secrets.addAll(verifiers);
        secrets.addAll(flowSecrets);

        List<String> logText = List.copyOf(lines);
        assertThat(logText).as("log lines").isNotEmpty();
        if (format.equals("json")) {
            List<JsonNode> objects = logText.stream().map(NothingLeaksSystemTest::jsonLine).toList();
            assertThat(objects).as("JSON log lines")
                    .anyMatch(line -> line.path("event").asText().equals("login_completed"))
                    .anyMatch(line -> line.path("event").asText().equals("login_refused")
                            && line.path("reason").asText().equals("state_not_bound"));
        } else {
            assertThat(logText).as("text log lines")
                    .anyMatch(line -> line.contains("login completed event=\"login_completed\""))
                    .anyMatch(line -> line.contains("login refused event=\"login_refused\"")
                            && line.contains("reason=\"state_not_bound\""));
        }
        for (String secret : secrets) {
            assertThat(logText).as("log lines").noneMatch(line -> line.contains(secret));
        }
        for (ScriptedBrowser browser : browsers) {
            for (HttpResponse<String> response : browser.history()) {
                String where = response.request().method() + " " + response.uri().getPath() + " → " + response.statusCode();
                for (String secret : secrets) {
                    assertThat(response.body()).as("body of " + where).doesNotContain(secret);
                    response.headers().firstValue("Location").filter(l -> !isPortalCallback(l))
                            .ifPresent(l -> assertThat(l).as("Location of " + where).doesNotContain(secret));
                    response.headers().allValues("Set-Cookie").stream()
                            .filter(cookie -> !cookie.startsWith(SESSION_COOKIE + "="))
                            // A flow cookie carries its own secret, and only that cookie may.
                            .filter(cookie -> !(flowSecrets.contains(secret) && cookie.startsWith(FLOW_COOKIE_PREFIX)
                                    && cookie.contains("." + secret + ";")))
                            .forEach(cookie -> assertThat(cookie).as("cookie of " + where).doesNotContain(secret));
                }
            }
        }
    }

    private ScriptedBrowser browser() {
        ScriptedBrowser browser = new ScriptedBrowser();
        browsers.add(browser);
        return browser;
    }

    /** Notes the code of a callback. */
    private URI observe(URI callback) {
        String code = queryParameter(callback, "code");
        if (code != null) {
            codes.add(URLDecoder.decode(code, StandardCharsets.UTF_8));
        }
        return callback;
    }

    /** The secrets that flow cookies carried: {@code __Host-pot-flow-<id>=<issued-at>.<secret>}. */
    private static List<String> flowSecretsSetBy(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(FLOW_COOKIE_PREFIX))
                .map(cookie -> cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')))
                .filter(value -> value.contains("."))
                .map(value -> value.substring(value.indexOf('.') + 1))
                .toList();
    }

    /** ADR-0005: the verifier is base64url(SHA-256("pot-login/pkce-verifier/v1:" || secret)). */
    private static String verifierOf(String flowSecret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("pot-login/pkce-verifier/v1:".getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    sha256.digest(Base64.getUrlDecoder().decode(flowSecret)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean isPortalCallback(String location) {
        return location.startsWith(servers.app("/login/complete").toString());
    }

    private static List<String> sessionTokensSetBy(HttpResponse<String> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"))
                .map(cookie -> cookie.substring(SESSION_COOKIE.length() + 1, cookie.indexOf(';')))
                .toList();
    }

    /** One event, one line, one object: with an RFC 3339 UTC timestamp, its level, logger and message. */
    private static JsonNode jsonLine(String encoded) {
        assertThat(encoded).as("a JSON log line").endsWith("\n").hasLineCount(1);
        try {
            JsonNode line = JSON.readTree(encoded);
            assertThat(line.isObject()).as(encoded).isTrue();
            String timestamp = line.path("timestamp").asText();
            assertThat(timestamp).as("timestamp of " + encoded).endsWith("Z");
            assertThat(Instant.parse(timestamp)).as("timestamp of " + encoded).isNotNull();
            assertThat(line.path("level").asText()).as(encoded).isIn("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
            assertThat(line.path("logger").asText()).as(encoded).isNotBlank();
            assertThat(line.has("message")).as(encoded).isTrue();
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON log line: " + encoded, e);
        }
    }
}
