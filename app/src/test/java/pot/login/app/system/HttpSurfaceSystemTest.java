package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pot.login.app.system.RawHttp.Request;
import pot.login.app.system.RawHttp.Response;

/**
 * The HTTP surface as any client meets it, whatever it sends: an oversized body, a hostile Host or forwarding
 * header, a path we never documented, a malformed request, a HEAD where a GET belongs. Raw sockets where
 * {@code java.net.http} would refuse to send the request or would tidy it up.
 */
class HttpSurfaceSystemTest {

    /** {@code micronaut.server.max-request-size} in application.yml. */
    static final int BODY_LIMIT = 64 * 1024;
    static final int TEN_MEGABYTES = 10 * 1024 * 1024;
    static final String SESSION_COOKIE = "__Host-pot-session";

    static PotLoginWithSandbox servers;
    static RawHttp raw;

    @BeforeAll
    static void start() {
        servers = PotLoginWithSandbox.start(Map.of());
        raw = new RawHttp(servers.app.getURI());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    // ---- the body limit ----

    static Stream<Arguments> oversized_bodies() {
        List<String[]> routes = List.of(new String[] {"POST", "/logout"}, new String[] {"GET", "/"},
                new String[] {"GET", "/login"}, new String[] {"GET", "/login/complete?code=x&state=y"},
                new String[] {"GET", "/me"}, new String[] {"GET", "/assets/pot-login.css"},
                new String[] {"GET", "/anything"});
        List<Arguments> cases = new ArrayList<>();
        for (String[] route : routes) {
            for (int size : new int[] {BODY_LIMIT + 1, TEN_MEGABYTES}) {
                cases.add(Arguments.of(route[0], route[1], size, false));
                cases.add(Arguments.of(route[0], route[1], size, true));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}, {2} bytes, chunked: {3}")
    @MethodSource("oversized_bodies")
    void a_body_over_the_limit_gets_413_request_too_large_on_every_route(String method, String target, int size,
                                                                           boolean chunked) {
        Request request = Request.of(method, target, "Accept: application/json",
                "Content-Type: application/x-www-form-urlencoded");
        Response response = raw.send(chunked ? request.withChunkedBody(form(size)) : request.withBody(form(size)));

        assertThat(response.status()).as(response.raw()).isEqualTo(413);
        assertThat(response.code()).isEqualTo("request_too_large");
        assertThat(response.first("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        // Refused before any route ran: no flow cookie issued, no session cleared.
        assertThat(response.all("Set-Cookie")).isEmpty();
        assertThat(whatIsMissing(response, false)).isEmpty();
    }

    @Test
    void a_browser_sending_an_oversized_body_gets_the_html_error_page_with_the_code() {
        Response response = raw.send(Request.of("POST", "/logout", "Accept: text/html",
                "Content-Type: application/x-www-form-urlencoded").withBody(form(BODY_LIMIT + 1)));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.first("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("<code>request_too_large</code>");
    }

    @Test
    void a_body_up_to_the_limit_still_reaches_the_route() {
        Request logout = Request.of("POST", "/logout", "Content-Type: application/x-www-form-urlencoded");

        assertThat(raw.send(logout.withBody(form(BODY_LIMIT))).status()).isEqualTo(303);
        assertThat(raw.send(logout.withChunkedBody(form(BODY_LIMIT))).status()).isEqualTo(303);
        assertThat(raw.send(Request.of("GET", "/", "Accept: text/html").withBody(form(1024))).status())
                .isEqualTo(200);
    }

    // ---- no reflected Host ----

    static final String HOST_MARKER = "host-marker-5f1c.example";
    static final String FORWARDED_HOST_MARKER = "xfh-marker-5f1c.example";
    static final String FORWARDED_PROTO_MARKER = "xfproto-marker-5f1c";
    static final String FORWARDED_PORT_MARKER = "47913";
    static final String FORWARDED_MARKER_HOST = "fwd-marker-5f1c.example";
    static final String FORWARDED_MARKER_PROTO = "fwdproto-marker-5f1c";
    static final List<String> MARKERS = List.of(HOST_MARKER, FORWARDED_HOST_MARKER, FORWARDED_PROTO_MARKER,
            FORWARDED_PORT_MARKER, FORWARDED_MARKER_HOST, FORWARDED_MARKER_PROTO);

    static String[] hostile(String... more) {
        List<String> headers = new ArrayList<>(List.of("Host: " + HOST_MARKER,
                "X-Forwarded-Host: " + FORWARDED_HOST_MARKER, "X-Forwarded-Proto: " + FORWARDED_PROTO_MARKER,
                "X-Forwarded-Port: " + FORWARDED_PORT_MARKER,
                "Forwarded: for=192.0.2.60;proto=" + FORWARDED_MARKER_PROTO + ";host=" + FORWARDED_MARKER_HOST));
        headers.addAll(List.of(more));
        return headers.toArray(String[]::new);
    }

    @Test
    void no_answer_of_any_route_reflects_a_hostile_host_or_forwarding_header() {
        Map<String, Response> answers = new LinkedHashMap<>();
        for (String accept : List.of("application/json", "text/html")) {
            for (String[] route : new String[][] {{"GET", "/"}, {"GET", "/login"}, {"GET", "/login?return_to=/x"},
                    {"GET", "/login/complete?code=x&state=y"}, {"GET", "/login/complete"}, {"GET", "/me"},
                    {"POST", "/logout"}, {"GET", "/assets/pot-login.css"}, {"GET", "/logout"},
                    {"HEAD", "/login/complete?code=x&state=y"}, {"GET", "/.well-known/oauth-protected-resource"},
                    {"GET", "/.well-known/oauth-protected-resource/me"}, {"GET", "/.well-known/openid-configuration"},
                    {"GET", "/anything"}, {"POST", "/assets/pot-login.css"}}) {
                answers.put(route[0] + " " + route[1] + " (" + accept + ")",
                        raw.send(Request.of(route[0], route[1], hostile("Accept: " + accept))));
            }
        }
        answers.put("POST /logout from another site", raw.send(Request.of("POST", "/logout",
                hostile("Origin: https://evil.example", "Sec-Fetch-Site: cross-site"))));
        // Signed in: the landing page and /me, with the hostile headers on the very requests that sign in.
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = servers.callbackFor(browser, "/");
        Response landing = raw.send(Request.of("GET", callback.getRawPath() + "?" + callback.getRawQuery(),
                hostile("Accept: text/html", "Cookie: " + browser.cookieHeader(servers.app("/")))));
        answers.put("GET the callback", landing);
        String session = SESSION_COOKIE + "=" + setCookieValue(landing, SESSION_COOKIE);
        answers.put("GET /me signed in", raw.send(Request.of("GET", "/me", hostile("Cookie: " + session))));
        answers.put("GET / signed in", raw.send(Request.of("GET", "/", hostile("Cookie: " + session))));

        assertThat(landing.status()).isEqualTo(200);
        assertThat(answers.get("GET /me signed in").status()).isEqualTo(200);
        Map<String, String> reflected = new LinkedHashMap<>();
        answers.forEach((name, answer) -> {
            assertThat(answer.status()).as(name).isPositive();
            String text = answer.raw().toLowerCase(Locale.ROOT);
            MARKERS.stream().filter(text::contains).forEach(marker -> reflected.put(name + " (" + answer.status()
                    + ")", marker + " in " + lineWith(answer.raw(), marker)));
        });
        assertThat(reflected).isEmpty();
    }

    @Test
    void every_route_we_do_not_document_is_404_never_401_200_or_a_challenge() {
        for (String path : List.of("/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/me",
                "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth/login",
                "/oauth/login/portal", "/oauth/callback/portal", "/login/complete/x", "/login/x", "/me/x", "/keys",
                "/keys/jwks.json", "/beans", "/env", "/loggers", "/anything", "/assets/missing.css", "/assets/")) {
            Response response = raw.send(Request.of("GET", path, "Accept: application/json"));

            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.code()).as(path).isEqualTo("not_found");
            assertThat(response.all("WWW-Authenticate")).as(path).isEmpty();
        }
    }

    @Test
    void a_documented_path_asked_with_another_method_is_405_with_the_methods_it_has() {
        Map<String, List<String>> allowed = new LinkedHashMap<>();
        for (String[] route : new String[][] {{"GET", "/logout"}, {"POST", "/login"}, {"POST", "/login/complete"},
                {"POST", "/me"}, {"DELETE", "/"}, {"PUT", "/logout"}}) {
            Response response = raw.send(Request.of(route[0], route[1], "Accept: application/json"));

            assertThat(response.status()).as(route[0] + " " + route[1]).isEqualTo(405);
            assertThat(response.code()).isEqualTo("method_not_allowed");
            assertThat(response.all("WWW-Authenticate")).isEmpty();
            allowed.put(route[0] + " " + route[1], methods(response));
        }
        assertThat(allowed).containsExactlyInAnyOrderEntriesOf(Map.of("GET /logout", List.of("POST"),
                "POST /login", List.of("GET"), "POST /login/complete", List.of("GET"), "POST /me",
                List.of("GET", "HEAD"), "DELETE /", List.of("GET", "HEAD"), "PUT /logout", List.of("POST")));
    }

    @Test
    void a_401_names_no_metadata_url_and_no_other_challenge() {
        Response me = raw.send(Request.of("GET", "/me", "Accept: application/json"));

        assertThat(me.status()).isEqualTo(401);
        assertThat(me.code()).isEqualTo("not_signed_in");
        assertThat(me.all("WWW-Authenticate")).isEmpty();
    }

    // ---- security headers on every response ----

    @Test
    void every_answer_of_every_route_carries_the_security_headers() {
        Map<String, Response> answers = everyKindOfAnswer(raw, true);

        assertThat(answers.get("403 cross-site logout, Sec-Fetch-Site").code()).isEqualTo("cross_site_request");
        Map<String, List<String>> missing = new LinkedHashMap<>();
        answers.forEach((name, answer) -> {
            List<String> wrong = whatIsMissing(answer, false);
            if (!wrong.isEmpty()) {
                missing.put(name, wrong);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void in_production_every_answer_also_tells_browsers_to_use_https_for_a_year() {
        EmbeddedServer production = startProduction();
        try {
            Map<String, Response> answers = everyKindOfAnswer(new RawHttp(production.getURI()), false);

            Map<String, List<String>> missing = new LinkedHashMap<>();
            answers.forEach((name, answer) -> {
                List<String> wrong = whatIsMissing(answer, true);
                if (!wrong.isEmpty()) {
                    missing.put(name, wrong);
                }
            });
            assertThat(missing).isEmpty();
        } finally {
            production.getApplicationContext().close();
        }
    }

    /**
     * One answer of each kind, named by the status it must have: pages, redirects, the landing, JSON, our own
     * refusals, the 401 of the security rule, the router's 404, 405 and 406, the body limit's 413, static assets,
     * and what Netty refuses before Micronaut routes anything (the only 400 and 413 that pass no filter).
     */
    static Map<String, Response> everyKindOfAnswer(RawHttp http, boolean signIn) {
        Map<String, Response> answers = new LinkedHashMap<>();
        answers.put("200 page", http.send(Request.of("GET", "/", "Accept: text/html")));
        answers.put("200 HEAD of the page", http.send(Request.of("HEAD", "/", "Accept: text/html")));
        answers.put("303 login", http.send(Request.of("GET", "/login", "Accept: text/html")));
        answers.put("303 logout", http.send(Request.of("POST", "/logout")));
        answers.put("400 refused callback", http.send(Request.of("GET", "/login/complete?code=x&state=y",
                "Accept: text/html")));
        answers.put("401 not signed in", http.send(Request.of("GET", "/me", "Accept: application/json")));
        // Two refusals: Micronaut's CORS filter guards a server on localhost from other origins before any route
        // runs; SameOrigin refuses what a browser marks cross-site.
        answers.put("403 cross-site logout, Origin", http.send(Request.of("POST", "/logout",
                "Origin: https://evil.example")));
        answers.put("403 cross-site logout, Sec-Fetch-Site", http.send(Request.of("POST", "/logout",
                "Sec-Fetch-Site: cross-site", "Accept: application/json")));
        answers.put("404 no such page", http.send(Request.of("GET", "/anything", "Accept: text/html")));
        answers.put("405 wrong method", http.send(Request.of("GET", "/logout")));
        answers.put("405 HEAD of the callback", http.send(Request.of("HEAD", "/login/complete?code=x&state=y")));
        answers.put("405 POST of an asset", http.send(Request.of("POST", "/assets/pot-login.css")));
        answers.put("406 unacceptable type", http.send(Request.of("GET", "/me", "Accept: image/png")));
        answers.put("413 oversized body", http.send(Request.of("POST", "/logout").withBody(form(BODY_LIMIT + 1))));
        answers.put("413 oversized chunked body", http.send(Request.of("GET", "/")
                .withChunkedBody(form(BODY_LIMIT + 1))));
        answers.put("413 oversized header block", http.send(Request.of("GET", "/", "X-Pad: " + "p".repeat(20_000))));
        answers.put("413 oversized request line", http.send(Request.of("GET", "/?q=" + "q".repeat(9_000))));
        answers.put("400 malformed header line", http.sendBytes("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));
        answers.put("400 bad content length", http.sendBytes(("POST /logout HTTP/1.1\r\nHost: x\r\nContent-Length: x"
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        Response asset = http.send(Request.of("GET", "/assets/pot-login.css"));
        answers.put("200 asset", asset);
        answers.put("200 HEAD of an asset", http.send(Request.of("HEAD", "/assets/pot-login.css")));
        answers.put("304 unchanged asset", http.send(Request.of("GET", "/assets/pot-login.css",
                "If-Modified-Since: " + asset.first("Last-Modified").orElseThrow())));
        if (signIn) {
            ScriptedBrowser browser = new ScriptedBrowser();
            answers.put("200 landing", fromBrowser(browser.get(servers.callbackFor(browser, "/"))));
            answers.put("200 signed in, as JSON", fromBrowser(browser.get(servers.app("/me"))));
            answers.put("200 signed-in page", fromBrowser(browser.get(servers.app("/"))));
        }
        answers.forEach((name, answer) -> assertThat(answer.status()).as(name + ": " + answer.raw())
                .isEqualTo(Integer.parseInt(name.substring(0, 3))));
        return answers;
    }

    /** What a response lacks of the headers every response must carry; HSTS only where {@code production}. */
    static List<String> whatIsMissing(Response response, boolean production) {
        List<String> wrong = new ArrayList<>();
        List<String> csp = response.all("Content-Security-Policy");
        if (csp.size() != 1 || !csp.get(0).contains("default-src 'none'")
                || !csp.get(0).contains("frame-ancestors 'none'")) {
            wrong.add("Content-Security-Policy " + csp);
        }
        if (!response.all("X-Content-Type-Options").equals(List.of("nosniff"))) {
            wrong.add("X-Content-Type-Options " + response.all("X-Content-Type-Options"));
        }
        if (!response.all("X-Frame-Options").equals(List.of("DENY"))) {
            wrong.add("X-Frame-Options " + response.all("X-Frame-Options"));
        }
        List<String> referrer = response.all("Referrer-Policy");
        if (referrer.size() != 1 || !List.of("no-referrer", "same-origin").contains(referrer.get(0))) {
            wrong.add("Referrer-Policy " + referrer);
        }
        List<String> hsts = response.all("Strict-Transport-Security");
        if (production) {
            Matcher maxAge = Pattern.compile("max-age=(\\d+)").matcher(hsts.isEmpty() ? "" : hsts.get(0));
            if (hsts.size() != 1 || !maxAge.find() || Long.parseLong(maxAge.group(1)) < 31_536_000L
                    || !hsts.get(0).contains("includeSubDomains")) {
                wrong.add("Strict-Transport-Security " + hsts);
            }
        } else if (!hsts.isEmpty()) {
            wrong.add("Strict-Transport-Security outside production " + hsts);
        }
        return wrong;
    }

    // ---- only safe methods are safe ----

    @Test
    void a_head_request_to_the_callback_never_completes_a_login() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = servers.callbackFor(browser, "/");
        String flowCookies = browser.cookieHeader(servers.app("/"));

        Response head = raw.send(Request.of("HEAD", callback.getRawPath() + "?" + callback.getRawQuery(),
                "Accept: text/html", "Cookie: " + flowCookies));

        assertThat(head.status()).isEqualTo(405);
        assertThat(methods(head)).containsExactly("GET");
        assertThat(head.all("Set-Cookie")).isEmpty();
        // Neither the code nor the state was spent: both are single use, and the GET that follows signs in.
        HttpResponse<String> landing = browser.get(callback);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(servers.app("/"), SESSION_COOKIE)).isNotNull();
        assertThat(browser.get(servers.app("/me")).statusCode()).isEqualTo(200);
    }

    @Test
    void a_head_request_to_login_starts_no_login_and_sets_no_cookie() {
        Response head = raw.send(Request.of("HEAD", "/login?return_to=/x", "Accept: text/html"));

        assertThat(head.status()).isEqualTo(405);
        assertThat(methods(head)).containsExactly("GET");
        assertThat(head.all("Set-Cookie")).isEmpty();
        assertThat(head.all("Location")).isEmpty();
    }

    @Test
    void assets_answer_get_and_head_and_refuse_every_other_method() {
        Response get = raw.send(Request.of("GET", "/assets/pot-login.css"));
        Response head = raw.send(Request.of("HEAD", "/assets/pot-login.css"));

        assertThat(get.status()).isEqualTo(200);
        assertThat(get.first("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
        assertThat(get.body()).contains("body {");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            Response refused = raw.send(Request.of(method, "/assets/pot-login.css", "Accept: application/json"));

            assertThat(refused.status()).as(method).isEqualTo(405);
            assertThat(refused.code()).as(method).isEqualTo("method_not_allowed");
            assertThat(methods(refused)).as(method).containsExactly("GET", "HEAD");
            assertThat(refused.body()).as(method).doesNotContain("body {");
        }
    }

    // ---- helpers ----

    /** A form body of exactly {@code size} bytes. */
    static byte[] form(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        body[0] = 'x';
        body[1] = '=';
        return body;
    }

    static String setCookieValue(Response response, String name) {
        return response.all("Set-Cookie").stream().filter(cookie -> cookie.startsWith(name + "=")).findFirst()
                .map(cookie -> cookie.substring(name.length() + 1).split(";", 2)[0])
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.raw()));
    }

    /** The methods an {@code Allow} header names, upper-case and sorted. */
    static List<String> methods(Response response) {
        return response.all("Allow").stream().flatMap(allow -> Arrays.stream(allow.split(",")))
                .map(method -> method.trim().toUpperCase(Locale.ROOT)).sorted().toList();
    }

    static String lineWith(String text, String marker) {
        return text.lines().filter(line -> line.toLowerCase(Locale.ROOT).contains(marker)).findFirst().orElse("?");
    }

    static Response fromBrowser(HttpResponse<String> response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new Response(response.statusCode(), headers, response.body(), response.toString());
    }

    /** The production setup, with strong secrets as the environment would give them; no portal is needed here. */
    static EmbeddedServer startProduction() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.host", "localhost");
        settings.put("micronaut.server.port", freePort());
        settings.put("pot-login.api-root", "https://127.0.0.1:9");
        settings.put("pot-login.client-id", "production-test-client");
        settings.put("pot-login.client-secret", "production-test-client-secret-0123456789abcdef");
        settings.put("pot-login.redirect-uri", "https://app.example/login/complete");
        settings.put("pot-login.state.signing-key-id", "p1");
        settings.put("pot-login.state.keys.p1", "production-test-state-key-0123456789abcdef");
        return ApplicationContext.run(EmbeddedServer.class, settings, "production");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
