package pot.login.app.hostile;

import pot.login.app.system.PotLoginWithSandbox;
import pot.login.app.system.ScriptedBrowser;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.app.hostile.HostileCallbacks.Hostile;
import pot.login.app.hostile.HostileCallbacks.RealLogin;
import pot.login.domain.FlowCookie;

/**
 * Generated hostile input against the running app and the sandbox portal: more than 10 000 malformed, truncated,
 * re-signed, re-encoded, oversized and mixed-up callbacks, built from real logins by {@link HostileCallbacks} with a
 * fixed seed. None may be accepted, none may get a 5xx, none may set a session cookie, and no error body may repeat
 * what the callback carried. Oversized request lines and header blocks get a 4xx before any of our code runs.
 */
class HostileCallbacksTest {

    /** Fixed, so that every run sends the same sequence of mutations; a failure names its index under this seed. */
    static final long SEED = 0x5EED_2024_0B1DL;
    static final int CALLBACKS = 10_240;
    /** A few clients at once, as a small crowd would; also keeps the run short on a two-core machine. */
    static final int PARALLEL = 4;
    static final String SESSION = HostileCallbacks.SESSION_COOKIE;

    static final Pattern JSON_CODE = Pattern.compile("\"code\":\"([a-z_]+)\"");
    static final Pattern HTML_CODE = Pattern.compile("<code>([a-z_]+)</code>");

    static PotLoginWithSandbox servers;
    static HttpClient http;
    static List<RealLogin> logins;

    /** One "login refused" line per hostile callback would bury the test's own summary in 10 000 lines. */
    static final ch.qos.logback.classic.Logger LOGIN_EVENTS =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("pot.login.adapters.http.LoginController");

    @BeforeAll
    static void start() {
        LOGIN_EVENTS.setLevel(ch.qos.logback.classic.Level.WARN);
        servers = PotLoginWithSandbox.start(Map.of());
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        // Real material: logins taken as far as the portal's callback (never followed), and logins only started.
        long started = System.nanoTime();
        List<RealLogin> material = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            material.add(finishedAtThePortal(i % 3 == 0 ? "/me" : null));
        }
        for (int i = 0; i < 120; i++) {
            material.add(startedOnly());
        }
        logins = List.copyOf(material);
        System.out.printf("real material: %d logins through the portal, %d only started, in %d ms%n",
                material.stream().filter(RealLogin::finished).count(),
                material.stream().filter(login -> !login.finished()).count(), (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void stop() {
        LOGIN_EVENTS.setLevel(null);
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void ten_thousand_hostile_callbacks_are_all_refused_without_a_session_or_a_5xx() throws Exception {
        List<Hostile> callbacks = new HostileCallbacks(logins, servers.portal.issuer(), PotLoginWithSandbox.STATE_KEY,
                Instant.now()).generate(SEED, CALLBACKS);
        assertThat(callbacks).hasSizeGreaterThanOrEqualTo(10_000);

        long started = System.nanoTime();
        List<Answer> answers = sendAll(callbacks);
        long millis = (System.nanoTime() - started) / 1_000_000;

        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> codes = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int viaSocket = 0;
        for (int i = 0; i < callbacks.size(); i++) {
            Hostile callback = callbacks.get(i);
            Answer answer = answers.get(i);
            statuses.merge(answer.status(), 1, Integer::sum);
            codes.merge(String.valueOf(answer.code()), 1, Integer::sum);
            viaSocket += answer.viaSocket() ? 1 : 0;
            List<String> wrong = whatIsWrong(callback, answer);
            if (!wrong.isEmpty()) {
                failures.add(wrong + " status=" + answer.status() + " code=" + answer.code() + " body="
                        + HostileCallbacks.shorten(answer.body(), 200) + "\n    " + callback.describe());
            }
        }
        System.out.printf("%d hostile callbacks (seed 0x%X, %d over a raw socket, %d at a time) in %.1f s: %s; "
                        + "codes: %s; %s%n", callbacks.size(), SEED, viaSocket, PARALLEL, millis / 1000.0,
                statuses.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                codes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")),
                failures.isEmpty() ? "no 5xx, no session, no echo" : failures.size() + " FAILED");
        // The count, described by the first few: thousands of failures in one message would bury the point.
        assertThat(failures.size())
                .as("hostile callbacks (of %d, seed 0x%X) not refused cleanly; the first ones:%n%s", callbacks.size(),
                        SEED, failures.stream().limit(12).collect(Collectors.joining("\n")))
                .isZero();
    }

    @Test
    void the_same_checks_see_a_real_untouched_callback_succeed() {
        // The control: the sender and the session check that find nothing above do see a real login's own callback.
        RealLogin login = finishedAtThePortal(null);
        Hostile untouched = new Hostile(-1, "code=" + HostileCallbacks.encode(login.code()) + "&state="
                + HostileCallbacks.encode(login.state()) + "&iss=" + HostileCallbacks.encode(login.iss()),
                login.flowCookieName() + "=" + login.flowCookieValue(), "text/html", List.of("untouched"), List.of());

        Answer answer = send(untouched);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(setsASession(answer)).isTrue();
    }

    @Test
    void a_real_callback_with_its_state_code_or_iss_sent_twice_is_refused() {
        // Which copy counts must not be a way in. A fresh login for each, so that none is refused only as a replay.
        List<String> variants = List.of(
                "state={S}&state={S}&code={C}&iss={I}", "state={S}&state=x&code={C}&iss={I}",
                "state=x&state={S}&code={C}&iss={I}", "state={S}&code={C}&code={C}&iss={I}",
                "state={S}&code={C}&code=x&iss={I}", "state={S}&code=x&code={C}&iss={I}",
                "state={S}&code={C}&iss={I}&iss={I}", "state={S}&code={C}&iss={I}&iss=x",
                "state={S}&code={C}&iss=x&iss={I}");
        List<String> failures = new ArrayList<>();
        for (String variant : variants) {
            RealLogin login = finishedAtThePortal(null);
            Hostile twice = new Hostile(-1, variant.replace("{S}", HostileCallbacks.encode(login.state()))
                    .replace("{C}", HostileCallbacks.encode(login.code()))
                    .replace("{I}", HostileCallbacks.encode(login.iss())),
                    login.flowCookieName() + "=" + login.flowCookieValue(), "application/json",
                    List.of("sent-twice"), List.of(login.state(), login.code()));
            Answer answer = send(twice);
            System.out.printf("%s: %d %s%n", variant, answer.status(), answer.code());
            List<String> wrong = whatIsWrong(twice, answer);
            if (!wrong.isEmpty()) {
                failures.add(variant + ": " + wrong + " status=" + answer.status() + " code=" + answer.code());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void an_oversized_query_string_gets_a_4xx() {
        // Over micronaut.server.netty.max-initial-line-length (8 192): Netty refuses the request line itself.
        String query = "code=x&state=" + HostileCallbacks.randomToken(new Random(SEED), 10_000, 10_000);

        long started = System.nanoTime();
        Answer answer = send(new Hostile(-1, query, null, "application/json", List.of("oversized-query"), List.of()));
        System.out.printf("a %d-character query: %d %s in %d ms%n", query.length(), answer.status(), answer.code(),
                (System.nanoTime() - started) / 1_000_000);

        assertThat(answer.status()).isBetween(400, 499);
        assertThat(setsASession(answer)).isFalse();
    }

    @Test
    void an_oversized_header_block_gets_a_4xx() {
        // Over micronaut.server.netty.max-header-size (16 384): one huge Cookie header, then many small headers.
        String cookie = FlowCookie.PREFIX + "AAAAAAAA=" + HostileCallbacks.randomToken(new Random(SEED), 20_000, 20_000);
        long started = System.nanoTime();
        Answer oneHuge = send(new Hostile(-1, "code=x&state=y", cookie, "application/json", List.of("huge-cookie"),
                List.of()));
        System.out.printf("a %d-character Cookie header: %d %s in %d ms%n", cookie.length(), oneHuge.status(),
                oneHuge.code(), (System.nanoTime() - started) / 1_000_000);

        StringBuilder request = new StringBuilder("GET /login/complete?code=x&state=y HTTP/1.1\r\nHost: "
                + servers.app.getHost() + ":" + servers.app.getPort() + "\r\n");
        for (int i = 0; i < 500; i++) {
            request.append("X-Pad-").append(i).append(": ").append("p".repeat(40)).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        started = System.nanoTime();
        Answer many = rawExchange(request.toString().getBytes(StandardCharsets.US_ASCII));
        System.out.printf("500 headers, %d bytes: %d %s in %d ms%n", request.length(), many.status(), many.code(),
                (System.nanoTime() - started) / 1_000_000);

        assertThat(oneHuge.status()).isBetween(400, 499);
        assertThat(setsASession(oneHuge)).isFalse();
        assertThat(many.status()).isBetween(400, 499);
        assertThat(setsASession(many)).isFalse();
    }

    @Test
    void a_one_megabyte_query_gets_a_4xx_or_a_closed_connection_never_a_5xx() {
        // The server may answer and close while the request is still being written: either is fine, a 5xx is not.
        String query = "code=x&state=" + HostileCallbacks.randomToken(new Random(SEED), 1 << 20, 1 << 20);
        byte[] request = ("GET /login/complete?" + query + " HTTP/1.1\r\nHost: " + servers.app.getHost() + ":"
                + servers.app.getPort() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        long started = System.nanoTime();
        Answer answer = rawExchange(request);
        System.out.printf("a 1 MB query: %s in %d ms%n", answer.status() == 0 ? "connection closed, no answer"
                : answer.status() + " " + answer.code(), (System.nanoTime() - started) / 1_000_000);

        assertThat(answer.status()).satisfiesAnyOf(
                status -> assertThat(status).isZero(),
                status -> assertThat(status).isBetween(400, 499));
        assertThat(setsASession(answer)).isFalse();
    }

    // ---- what a refusal must look like ----

    /** Everything wrong with the answer to a hostile callback; empty when it was refused as it should be. */
    static List<String> whatIsWrong(Hostile callback, Answer answer) {
        List<String> wrong = new ArrayList<>();
        if (answer.status() < 400 || answer.status() > 499) {
            wrong.add(answer.status() == 0 ? "no answer (" + answer.body() + ")" : "status " + answer.status());
        }
        if (setsASession(answer)) {
            wrong.add("sets a session cookie");
        }
        String type = answer.contentType() == null ? "" : answer.contentType().toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/problem+json") && !type.startsWith("text/html")) {
            wrong.add("content type " + answer.contentType());
        }
        if (answer.code() == null) {
            wrong.add("no error code in the body");
        }
        for (String value : callback.submitted()) {
            if (value.length() > 16 && echoes(answer.body(), value)) {
                wrong.add("echoes " + HostileCallbacks.shorten(value, 60));
            }
        }
        return wrong;
    }

    /** The whole value, or its first or last 17 characters: a body that quotes a part of a state still leaks it. */
    static boolean echoes(String body, String value) {
        return body.contains(value) || body.contains(value.substring(0, 17))
                || body.contains(value.substring(value.length() - 17));
    }

    static boolean setsASession(Answer answer) {
        return answer.setCookies().stream().anyMatch(cookie -> cookie.startsWith(SESSION + "=")
                && !cookie.startsWith(SESSION + "=;") && !cookie.equals(SESSION + "=")
                && !cookie.startsWith(SESSION + "=\"\""));
    }

    // ---- sending ----

    /**
     * One answer, from the JDK client or, for what it refuses to send (bad escapes, raw bytes, control characters),
     * from a raw socket. status 0: the connection closed without an answer.
     */
    record Answer(int status, String contentType, List<String> setCookies, String body, boolean viaSocket) {

        String code() {
            Matcher json = JSON_CODE.matcher(body);
            if (json.find()) {
                return json.group(1);
            }
            Matcher html = HTML_CODE.matcher(body);
            return html.find() ? html.group(1) : null;
        }
    }

    static List<Answer> sendAll(List<Hostile> callbacks) throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Answer>> pending = new ArrayList<>(callbacks.size());
            for (Hostile callback : callbacks) {
                pending.add(pool.submit(() -> send(callback)));
            }
            List<Answer> answers = new ArrayList<>(callbacks.size());
            for (Future<Answer> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    static Answer send(Hostile callback) {
        HttpRequest request;
        try {
            if (!isPlainAscii(callback.rawQuery())) {
                throw new IllegalArgumentException("raw bytes in the query");
            }
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                            URI.create(servers.app("/login/complete") + "?" + callback.rawQuery()))
                    .timeout(Duration.ofSeconds(15))
                    .header("Accept", callback.accept())
                    .GET();
            if (callback.cookieHeader() != null) {
                builder.header("Cookie", callback.cookieHeader());
            }
            request = builder.build();
        } catch (IllegalArgumentException refusedByTheClient) {
            return rawExchange(rawRequest(callback));
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().allValues("Set-Cookie"), response.body(), false);
        } catch (IOException e) {
            return new Answer(0, null, List.of(), e.toString(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean isPlainAscii(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    static byte[] rawRequest(Hostile callback) {
        StringBuilder request = new StringBuilder("GET /login/complete?").append(callback.rawQuery())
                .append(" HTTP/1.1\r\nHost: ").append(servers.app.getHost()).append(':').append(servers.app.getPort())
                .append("\r\nAccept: ").append(callback.accept());
        if (callback.cookieHeader() != null) {
            request.append("\r\nCookie: ").append(callback.cookieHeader());
        }
        return request.append("\r\nConnection: close\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the request as given and reads until the server closes; status 0 when no status line came back. */
    static Answer rawExchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(servers.app.getHost(), servers.app.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedWhileWriting) {
                // The server may refuse before it has read everything; what it answered is still worth reading.
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | java.net.SocketException endedAbruptly) {
                // Keep whatever arrived before the reset or the timeout.
            }
            return parse(received.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer parse(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (!response.matches("(?s)HTTP/1\\.[01] \\d{3}.*") || headersEnd < 0) {
            return new Answer(0, null, List.of(), "closed: " + HostileCallbacks.shorten(response, 100), true);
        }
        String[] lines = response.substring(0, headersEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        String contentType = null;
        boolean chunked = false;
        List<String> setCookies = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "set-cookie" -> setCookies.add(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                default -> { }
            }
        }
        String body = response.substring(headersEnd + 4);
        return new Answer(status, contentType, setCookies, chunked ? dechunk(body) : body, true);
    }

    static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            // Sizes count bytes; the bodies here are ASCII or close to it, and only searched, never measured.
            int end = Math.min(chunked.length(), lineEnd + 2 + size);
            body.append(chunked, lineEnd + 2, end);
            at = end + 2;
        }
    }

    // ---- real material ----

    /** A login taken through the portal: the callback's code, state and iss, and the flow cookie; not followed. */
    static RealLogin finishedAtThePortal(String returnTo) {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = servers.callbackFor(browser, returnTo);
        return withFlowCookie(browser, parameter(callback, "state"), parameter(callback, "code"),
                parameter(callback, "iss"));
    }

    /** A login only started: the state on the way to the portal, and the flow cookie. */
    static RealLogin startedOnly() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI authorize = location(browser.get(servers.app("/login")));
        return withFlowCookie(browser, parameter(authorize, "state"), null, null);
    }

    static RealLogin withFlowCookie(ScriptedBrowser browser, String state, String code, String iss) {
        Map.Entry<String, String> flow = browser.cookies(servers.app("/")).entrySet().stream()
                .filter(cookie -> FlowCookie.isFlowCookie(cookie.getKey()))
                .findFirst().orElseThrow(() -> new AssertionError("/login set no flow cookie"));
        // The generator forges flow cookies for its forged states; they must be what /login itself would set.
        assertThat(HostileCallbacks.flowCookieFits(state, flow.getKey(), flow.getValue())).isTrue();
        return new RealLogin(state, flow.getKey(), flow.getValue(), code, iss);
    }

    static String parameter(URI uri, String name) {
        String raw = ScriptedBrowser.queryParameter(uri, name);
        assertThat(raw).as("%s on %s", name, uri.getHost()).isNotNull();
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
