package pot.login.app.hostile;

import pot.login.app.system.PotLoginWithSandbox;
import pot.login.app.system.RawHttp;
import pot.login.app.system.ScriptedBrowser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cookie headers no browser of ours would send, on every route: names with characters a cookie name may not hold,
 * quoted and broken values, duplicates, thousands of cookies. None may cause a 5xx, none may be echoed, and no answer
 * may carry more {@code Set-Cookie} bytes than a small bound. Sent over a raw socket, byte for byte: the JDK's client
 * refuses to send some of them.
 */
class HostileCookiesTest {

    static final long SEED = 0xC00C1E5L;
    /** /login sets one flow cookie and clears at most max-concurrent-logins (5) others: far below this. */
    static final int MAX_SET_COOKIE_BYTES = 2_048;
    static final List<String> ROUTES = List.of("GET /login", "GET /login?return_to=/me",
            "GET /login/complete?code=c&state=s", "GET /", "GET /me", "POST /logout");
    /** Characters that are not legal in a cookie name (RFC 6265 §4.1.1: a token), and some that are but are odd. */
    static final String[] ODD_NAME_PARTS = {" ", "(", ")", "@", ",", "/", "\\", "?", "[", "]", "{", "}", "\"", ":",
            "\t", "ä", "€", "\u00ff", "=", "AAAAAAA", "AAAAAAAAA", "AAAAAAA!", "!AAAAAAA", "AAAA AAA", "%41AAAAAAA", ""};

    static PotLoginWithSandbox servers;

    @BeforeAll
    static void start() {
        servers = PotLoginWithSandbox.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    @Test
    void flow_cookie_names_that_we_could_not_have_issued_are_ignored_never_echoed_and_never_a_5xx() {
        List<String> failures = new ArrayList<>();
        for (String route : ROUTES) {
            for (String odd : ODD_NAME_PARTS) {
                String name = "__Host-pot-flow-" + odd;
                Answer answer = send(route, name + "=1700000000.x; other=1");
                check(route + " with cookie name '" + name + "'", answer, failures);
                if (answer.setCookies().stream().anyMatch(cookie -> cookie.startsWith(name + "=")
                        && !name.matches("__Host-pot-flow-[A-Za-z0-9_-]{8}"))) {
                    failures.add(route + " echoed the cookie name '" + name + "': " + answer.setCookies());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void random_cookie_headers_on_every_route_never_give_a_5xx_or_a_large_set_cookie() {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String route = ROUTES.get(random.nextInt(ROUTES.size()));
            String header = randomCookieHeader(random);
            check(route + " #" + i + " Cookie: " + shorten(header), send(route, header), failures);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void hundreds_of_well_formed_flow_cookies_or_thousands_of_tiny_cookies_get_a_small_answer() {
        Random random = new Random(SEED);
        StringBuilder flows = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            flows.append(i == 0 ? "" : ";").append("__Host-pot-flow-").append(token(random, 8, 8, ID_CHARS))
                    .append("=").append(1_700_000_000L + i).append(".x");
        }
        StringBuilder tiny = new StringBuilder();
        for (int i = 0; i < 2_500; i++) {
            tiny.append(i == 0 ? "" : ";").append(Integer.toString(i, 36)).append('=');
        }
        List<String> failures = new ArrayList<>();
        for (String route : ROUTES) {
            Answer answer = send(route, flows.toString());
            check(route + " with 300 flow cookies", answer, failures);
            if (route.startsWith("GET /login") && !route.contains("complete")) {
                assertThat(answer.status()).as(route).isEqualTo(303);
            }
            check(route + " with 2 500 tiny cookies", send(route, tiny.toString()), failures);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void duplicated_and_quoted_flow_cookies_do_not_bind_a_login_they_do_not_belong_to() {
        ScriptedBrowser attacker = new ScriptedBrowser();
        String callback = servers.callbackFor(attacker, "/").toString();
        String query = callback.substring(callback.indexOf('?'));
        Map<String, String> flows = attacker.cookies(servers.app("/"));
        String name = flows.keySet().iterator().next();
        String value = flows.get(name);
        String issued = value.substring(0, value.indexOf('.'));
        // The victim's browser never got this login's secret: every guess built around the name fails to bind.
        for (String header : List.of(
                name + "=\"" + issued + ".\"",
                name + "=" + issued + "." + "A".repeat(43) + "; " + name + "=" + issued + "." + "B".repeat(43),
                name + "=\"" + issued + "." + "A".repeat(43) + "\"",
                name + "=" + issued + "." + "A".repeat(42) + "=",
                name + "=" + issued)) {
            Answer answer = send("GET /login/complete" + query, header);
            assertThat(answer.status()).as(header).isEqualTo(400);
            assertThat(answer.body()).as(header).contains("state_not_bound");
            assertThat(setsASession(answer)).as(header).isFalse();
        }
    }

    // ---- what every answer must satisfy ----

    static void check(String what, Answer answer, List<String> failures) {
        if (answer.status() >= 500 || answer.status() == 0) {
            failures.add(what + " → " + answer.status() + " " + shorten(answer.body()));
        }
        int setCookieBytes = answer.setCookies().stream().mapToInt(String::length).sum();
        if (setCookieBytes > MAX_SET_COOKIE_BYTES) {
            failures.add(what + " → " + setCookieBytes + " bytes of Set-Cookie");
        }
        if (setsASession(answer)) {
            failures.add(what + " → a session cookie");
        }
        for (String cookie : answer.setCookies()) {
            String name = cookie.substring(0, Math.max(0, cookie.indexOf('=')));
            // __Host-pot-session-id: the session's kept ID token; __Host-pot-refresh: its sealed refresh token (ADR-0007);
            // both cleared with it at sign-out.
            if (!name.equals("__Host-pot-session") && !name.equals("__Host-pot-session-id")
                    && !name.equals("__Host-pot-refresh")
                    && !name.matches("__Host-pot-flow-[A-Za-z0-9_-]{8}")) {
                failures.add(what + " → a Set-Cookie for a name that is not ours: " + shorten(cookie));
            }
        }
    }

    static boolean setsASession(Answer answer) {
        return answer.setCookies().stream().anyMatch(cookie -> (cookie.startsWith("__Host-pot-session=")
                && !cookie.startsWith("__Host-pot-session=;")) || (cookie.startsWith("__Host-pot-session-id=")
                && !cookie.startsWith("__Host-pot-session-id=;")));
    }

    // ---- generating ----

    static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final String ANY_CHARS = ID_CHARS + " ()<>@,;:\\\"/[]?={}\t.!#$%&'*+^`|~äöü€\u00ff";

    static String randomCookieHeader(Random random) {
        int count = switch (random.nextInt(4)) {
            case 0 -> 1;
            case 1 -> 2 + random.nextInt(10);
            case 2 -> 50 + random.nextInt(300);
            default -> 1 + random.nextInt(4);
        };
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < count && header.length() < 12_000; i++) {
            header.append(i == 0 ? "" : random.nextBoolean() ? "; " : ";");
            String name = switch (random.nextInt(5)) {
                case 0 -> "__Host-pot-flow-" + token(random, 8, 8, ID_CHARS);
                case 1 -> "__Host-pot-flow-" + token(random, 0, 12, ANY_CHARS);
                case 2 -> "__Host-pot-session";
                case 3 -> token(random, 1, 20, ANY_CHARS);
                default -> "__Host-pot-flow-" + token(random, 8, 8, ANY_CHARS);
            };
            String value = switch (random.nextInt(5)) {
                case 0 -> (1_700_000_000L + random.nextInt(100_000_000)) + "." + token(random, 43, 43, ID_CHARS);
                case 1 -> "\"" + token(random, 0, 60, ANY_CHARS.replace(";", "")) + "\"";
                case 2 -> "";
                case 3 -> token(random, 1, 80, ANY_CHARS.replace(";", ""));
                default -> random.nextInt(Integer.MAX_VALUE) + "." + random.nextInt(Integer.MAX_VALUE);
            };
            header.append(name).append(random.nextInt(20) == 0 ? "" : "=").append(value);
        }
        return header.toString();
    }

    static String token(Random random, int min, int max, String alphabet) {
        int length = min + (max > min ? random.nextInt(max - min + 1) : 0);
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    // ---- sending, byte for byte (UTF-8, as a client may: RawHttp sends exactly these bytes) ----

    record Answer(int status, List<String> setCookies, String body) {
    }

    static Answer send(String route, String cookieHeader) {
        String method = route.substring(0, route.indexOf(' '));
        String target = route.substring(route.indexOf(' ') + 1);
        String request = method + " " + target + " HTTP/1.1\r\n"
                + "Host: " + servers.app.getHost() + ":" + servers.app.getPort() + "\r\n"
                + "Accept: application/json\r\n"
                + "Cookie: " + cookieHeader + "\r\n"
                + (method.equals("POST") ? "Content-Length: 0\r\n" : "")
                + "Connection: close\r\n\r\n";
        RawHttp.Response response = new RawHttp(servers.app.getURI())
                .sendBytes(request.getBytes(StandardCharsets.UTF_8));
        return new Answer(response.status(), response.all("Set-Cookie"),
                response.status() == 0 ? "no answer: " + shorten(response.raw()) : response.body());
    }

    static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + ")";
    }
}
