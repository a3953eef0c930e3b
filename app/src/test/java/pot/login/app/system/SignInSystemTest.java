package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/** All eight steps over real HTTP, against the sandbox portal, one hop at a time. */
class SignInSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static PotLoginWithSandbox servers;

    @BeforeAll
    static void start() {
        servers = PotLoginWithSandbox.start(Map.of());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void a_user_signs_in_through_the_portal_sees_who_they_are_and_signs_out() {
        ScriptedBrowser browser = new ScriptedBrowser();

        // Steps 1–3: /login issues a state and sends the browser to the portal.
        HttpResponse<String> login = browser.get(servers.app("/login?return_to=/me"));
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(login.headers().firstValue("Cache-Control")).contains("no-store");
        URI authorize = location(login);
        assertThat(authorize.getHost()).isEqualTo("127.0.0.1");
        assertThat(authorize.getRawQuery()).contains("response_type=code", "client_id=" + PotLoginWithSandbox.CLIENT_ID,
                "redirect_uri=", "state=");

        // Step 4: the portal identifies the user.
        HttpResponse<String> callback = browser.signInAtPortal(authorize, "demo", "demo", "sign-in");

        // Step 5: the portal sends the browser back with a code and the state.
        assertThat(callback.statusCode()).isEqualTo(302);
        URI complete = location(callback);
        assertThat(complete.toString()).startsWith(servers.app("/login/complete").toString());
        assertThat(complete.getRawQuery()).contains("code=", "state=");

        // Steps 6–8: the app checks the state, exchanges the code and sets the session cookie.
        HttpResponse<String> landing = browser.get(complete);
        assertThat(landing.statusCode()).isEqualTo(200);
        String setCookie = sessionCookieOf(landing);
        assertThat(setCookie).startsWith(SESSION_COOKIE + "=ey");
        List<String> attributes = ScriptedBrowser.attributes(setCookie);
        assertThat(attributes).contains("httponly", "secure", "samesite=strict", "path=/")
                .noneMatch(attribute -> attribute.startsWith("domain="));
        long maxAge = maxAge(attributes);
        assertThat(maxAge).isPositive().isLessThanOrEqualTo(86_400);
        assertThat(landing.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(landing.headers().firstValue("Referrer-Policy")).contains("no-referrer");

        // The landing page moves on by itself (a same-site navigation) to return_to.
        Element refresh = Jsoup.parse(landing.body()).selectFirst("meta[http-equiv=refresh]");
        assertThat(refresh).isNotNull();
        assertThat(refresh.attr("content")).isEqualTo("0;url=/me");

        HttpResponse<String> me = browser.get(servers.app("/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"demo\"", "\"name\":\"Demo User\"", "\"email\":\"demo@example.com\"");
        Instant sessionEnds = Instant.parse(me.body().replaceAll(".*\"sessionEndsAt\":\"([^\"]+)\".*", "$1"));
        assertThat(sessionEnds).isBetween(Instant.now().plusSeconds(86_400 - 120), Instant.now().plusSeconds(86_400 + 5));

        HttpResponse<String> home = browser.get(servers.app("/"));
        assertThat(home.body()).contains("Signed in as", "Demo User", "Sign out");

        // The demo page's "Sign out" button, as a browser submits it.
        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(),
                servers.app("/").getScheme() + "://" + servers.app("/").getRawAuthority());
        assertThat(logout.statusCode()).isEqualTo(303);
        String cleared = sessionCookieOf(logout);
        assertThat(cleared).startsWith(SESSION_COOKIE + "=;");
        assertThat(ScriptedBrowser.attributes(cleared)).contains("max-age=0", "httponly", "secure", "samesite=strict",
                "path=/");

        assertThat(browser.get(servers.app("/me")).statusCode()).isEqualTo(401);
        assertThat(browser.get(servers.app("/")).body()).contains("Sign in with Platform of Trust");
    }

    @Test
    void a_tampered_state_is_refused_with_its_code_and_no_session() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI complete = location(browser.signInAtPortal(location(browser.get(servers.app("/login"))), "demo", "demo",
                "sign-in"));
        String query = complete.getRawQuery();
        String state = query.replaceAll(".*state=([^&]+).*", "$1");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");

        HttpResponse<String> refused = browser.get(URI.create(complete.toString().replace(state, tampered)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state_invalid");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE));
        assertThat(browser.cookie(servers.app("/"), SESSION_COOKIE)).isNull();
    }

    @Test
    void an_expired_state_is_refused_with_its_code_and_no_session() {
        StateSigner sameKey = new StateSigner(new StateKeys(List.of(new StateKey("system-1",
                Secret.of("k", PotLoginWithSandbox.STATE_KEY)))), Duration.ofMinutes(10), Duration.ofSeconds(30));
        String expired = sameKey.sign(new StateClaims(Instant.now().minus(Duration.ofMinutes(11)),
                new byte[StateClaims.NONCE_BYTES], new byte[StateClaims.BINDING_BYTES], ReturnPath.HOME));

        HttpResponse<String> refused = new ScriptedBrowser().get(
                servers.app("/login/complete?code=any&state=" + expired));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state_expired");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE));
    }

    @Test
    void a_code_the_portal_never_issued_is_refused_as_code_rejected() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI complete = location(browser.signInAtPortal(location(browser.get(servers.app("/login"))), "demo", "demo",
                "sign-in"));
        String code = complete.getRawQuery().replaceAll(".*code=([^&]+).*", "$1");

        HttpResponse<String> refused = browser.get(URI.create(complete.toString().replace(code, "not-" + code)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("code_rejected");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE));
    }

    @Test
    void cancelling_at_the_portal_shows_the_cancelled_page_and_signs_nobody_in() {
        ScriptedBrowser browser = new ScriptedBrowser();
        HttpResponse<String> back = browser.signInAtPortal(location(browser.get(servers.app("/login"))), "", "",
                "cancel");
        assertThat(location(back).getRawQuery()).contains("error=access_denied");

        HttpResponse<String> cancelled = browser.get(location(back));

        assertThat(cancelled.statusCode()).isEqualTo(400);
        assertThat(cancelled.body()).contains("Sign-in was cancelled", "login_cancelled");
        assertThat(cancelled.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE));
    }

    static String sessionCookieOf(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(SESSION_COOKIE + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie set"));
    }

    static long maxAge(List<String> attributes) {
        return attributes.stream().filter(attribute -> attribute.startsWith("max-age="))
                .mapToLong(attribute -> Long.parseLong(attribute.substring("max-age=".length())))
                .findFirst().orElseThrow(() -> new AssertionError("no Max-Age"));
    }
}
