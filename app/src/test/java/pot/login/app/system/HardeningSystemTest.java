package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hardening properties, each over real HTTP against the sandbox portal, as an attacker or a busy user would. */
class HardeningSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String FLOW_PREFIX = "__Host-pot-flow-";
    static PotLoginWithSandbox servers;

    @BeforeAll
    static void start() {
        servers = PotLoginWithSandbox.start(Map.of("pot-login.callback-issuer-required", true));
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    static URI callbackFor(ScriptedBrowser browser, String returnTo) {
        return servers.callbackFor(browser, returnTo);
    }

    static String query(URI uri, String name) {
        return ScriptedBrowser.queryParameter(uri, name);
    }

    static void assertRefused(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(code);
        assertThat(response.headers().allValues("Set-Cookie"))
                .noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"));
    }

    @Test
    void login_csrf_the_attackers_own_callback_opened_in_the_victims_browser_signs_nobody_in() {
        URI attackersCallback = callbackFor(new ScriptedBrowser(), "/");
        ScriptedBrowser victim = new ScriptedBrowser();

        assertRefused(victim.get(attackersCallback), "state_not_bound");
        assertThat(victim.cookie(servers.app("/"), SESSION_COOKIE)).isNull();
    }

    /**
     * RFC 9700 attacker A3: the victim's callback URL leaks before the victim's browser follows it (a proxy log,
     * history, a screenshot). The attacker knows everything any URL showed — the authorize URL too — and builds, in a
     * cookie jar of their own, the flow cookie that the state's login id names, with every value the URLs give.
     */
    @Test
    void a_leaked_unused_callback_is_worthless_in_another_cookie_jar_and_still_signs_in_its_own_browser() {
        ScriptedBrowser victim = new ScriptedBrowser();
        URI authorize = location(victim.get(servers.app("/login")));
        URI leakedCallback = location(victim.signInAtPortal(authorize, "demo", "demo", "sign-in"));
        String state = java.net.URLDecoder.decode(query(leakedCallback, "state"), java.nio.charset.StandardCharsets.UTF_8);
        String flowName = victim.cookies(servers.app("/")).keySet().stream()
                .filter(name -> name.startsWith(FLOW_PREFIX)).findFirst().orElseThrow();
        byte[] payload = java.util.Base64.getUrlDecoder().decode(state.split("\\.")[1]);
        long issuedAt = java.nio.ByteBuffer.wrap(payload, 1, 8).getLong();
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        for (String guess : new String[] {
                issuedAt + "." + b64.encodeToString(java.util.Arrays.copyOfRange(payload, 9, 25)),   // the old value
                issuedAt + "." + b64.encodeToString(java.util.Arrays.copyOfRange(payload, 25, 57)),  // the binding
                issuedAt + "." + query(authorize, "code_challenge"),
                issuedAt + "." + query(leakedCallback, "code"),
                state}) {
            ScriptedBrowser attacker = new ScriptedBrowser();
            attacker.plantCookie(servers.app("/"), flowName, guess);

            assertRefused(attacker.get(leakedCallback), "state_not_bound");
            assertThat(attacker.cookie(servers.app("/"), SESSION_COOKIE)).isNull();
        }
        assertRefused(new ScriptedBrowser().get(leakedCallback), "state_not_bound");

        HttpResponse<String> landing = victim.get(leakedCallback);
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(victim.cookie(servers.app("/"), SESSION_COOKIE)).isNotNull();
    }

    /** The victim's code alone, pasted into the attacker's own login: PKCE at the portal refuses it. */
    @Test
    void a_leaked_code_injected_into_the_attackers_own_login_is_refused_by_the_portal() {
        ScriptedBrowser victim = new ScriptedBrowser();
        URI victimsCallback = callbackFor(victim, "/");
        ScriptedBrowser attacker = new ScriptedBrowser();
        URI attackersCallback = callbackFor(attacker, "/");
        String victimsCode = query(victimsCallback, "code");
        URI injected = URI.create(attackersCallback.toString().replace(query(attackersCallback, "code"), victimsCode));

        HttpResponse<String> refused = attacker.get(injected);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("code_rejected");
        assertThat(attacker.cookie(servers.app("/"), SESSION_COOKIE)).isNull();
    }

    @Test
    void a_replayed_callback_is_refused_even_with_a_copy_of_its_flow_cookie() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(browser, "/");
        Map.Entry<String, String> flow = browser.cookies(servers.app("/")).entrySet().stream()
                .filter(cookie -> cookie.getKey().startsWith(FLOW_PREFIX)).findFirst().orElseThrow();
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);

        // From history: the flow cookie was spent with the login, so the browser no longer has it.
        assertThat(browser.cookie(servers.app("/"), flow.getKey())).isNull();
        ScriptedBrowser fromHistory = new ScriptedBrowser();
        assertRefused(fromHistory.get(callback), "state_not_bound");
        // With a copy of the cookie kept from before: the state itself has been used.
        ScriptedBrowser withCopy = new ScriptedBrowser();
        withCopy.plantCookie(servers.app("/"), flow.getKey(), flow.getValue());
        assertRefused(withCopy.get(callback), "state_replayed");
    }

    @Test
    void two_tabs_that_start_a_login_each_finish_in_either_order() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI first = callbackFor(browser, "/first");
        URI second = callbackFor(browser, "/second");
        assertThat(browser.cookies(servers.app("/")).keySet()).filteredOn(name -> name.startsWith(FLOW_PREFIX)).hasSize(2);

        HttpResponse<String> secondLanding = browser.get(second);
        HttpResponse<String> firstLanding = browser.get(first);

        assertThat(secondLanding.statusCode()).isEqualTo(200);
        assertThat(secondLanding.body()).contains("url=/second");
        assertThat(firstLanding.statusCode()).isEqualTo(200);
        assertThat(firstLanding.body()).contains("url=/first");
        assertThat(browser.cookies(servers.app("/")).keySet()).noneMatch(name -> name.startsWith(FLOW_PREFIX));
    }

    @Test
    void a_browser_never_holds_more_flow_cookies_than_the_bound_and_each_stays_small() {
        ScriptedBrowser browser = new ScriptedBrowser();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> login = browser.get(servers.app("/login?return_to=/tab" + i));
            login.headers().allValues("Set-Cookie").forEach(cookie -> assertThat(cookie.length()).isLessThan(4096));
        }

        assertThat(browser.cookies(servers.app("/")).keySet()).filteredOn(name -> name.startsWith(FLOW_PREFIX))
                .hasSize(5);
    }

    @Test
    void a_callback_naming_another_issuer_or_none_is_refused_before_the_code_is_used() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(browser, "/");
        String iss = query(callback, "iss");
        assertThat(iss).isNotNull();

        assertRefused(browser.get(URI.create(callback.toString().replace("iss=" + iss, "iss=https%3A%2F%2Fevil.example"))),
                "issuer_mismatch");

        ScriptedBrowser another = new ScriptedBrowser();
        URI withoutIss = callbackFor(another, "/");
        assertRefused(another.get(URI.create(withoutIss.toString().replaceAll("&iss=[^&]*", ""))), "issuer_mismatch");
    }

    @Test
    void pkce_the_authorize_url_carries_only_the_challenge_and_the_portal_enforces_the_verifier() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI authorize = location(browser.get(servers.app("/login")));
        assertThat(query(authorize, "code_challenge_method")).isEqualTo("S256");
        assertThat(query(authorize, "code_challenge")).matches("[A-Za-z0-9_-]{43}");
        assertThat(authorize.getRawQuery()).doesNotContain("code_verifier");

        // The sandbox refuses a code issued with a challenge unless the right verifier comes with it: this login
        // succeeding is the proof that the backend sent it.
        URI callback = location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
    }

    @Test
    void return_to_lands_on_a_local_path_and_anything_else_lands_home() {
        for (String[] hostile : new String[][] {{"//evil.example", "/"}, {"/%5Cevil.example", "/"},
                {"https://evil.example/", "/"}, {"%2F%2Fevil.example", "/"}, {"/a%0d%0aSet-Cookie:x=y", "/"},
                {"/reports?tab=1", "/reports?tab=1"}}) {
            ScriptedBrowser browser = new ScriptedBrowser();
            HttpResponse<String> landing = browser.get(callbackFor(browser, hostile[0]));

            assertThat(landing.statusCode()).isEqualTo(200);
            assertThat(landing.body()).as(hostile[0]).contains("url=" + hostile[1].replace("&", "&amp;") + "\"");
        }
    }

    @Test
    void login_responses_are_never_cached_and_never_leak_a_referrer() {
        ScriptedBrowser browser = new ScriptedBrowser();
        HttpResponse<String> login = browser.get(servers.app("/login"));
        HttpResponse<String> portalPage = browser.get(location(login));
        HttpResponse<String> landing = browser.get(location(browser.signInAtPortal(location(login), "demo", "demo",
                "sign-in")));

        for (HttpResponse<String> response : new HttpResponse[] {login, landing}) {
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        }
        assertThat(landing.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("script-src"));
        assertThat(landing.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(portalPage.statusCode()).isEqualTo(200);
    }

    @Test
    void logout_from_another_site_is_refused_and_the_session_survives() {
        ScriptedBrowser browser = new ScriptedBrowser();
        assertThat(browser.get(callbackFor(browser, "/")).statusCode()).isEqualTo(200);

        HttpResponse<String> refused = browser.postFrom(servers.app("/logout"), "https://evil.example");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(browser.cookie(servers.app("/"), SESSION_COOKIE)).isNotNull();
        assertThat(browser.get(servers.app("/me")).statusCode()).isEqualTo(200);
    }
}
