package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.SignInSystemTest.SESSION_COOKIE;
import static pot.login.app.system.SignInSystemTest.sessionCookieOf;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A signed-out-session store that is down: a request that trusts the session fails closed (it may carry a cookie
 * that was signed out), and a sign-out still clears the browser's cookie.
 */
class SignedOutSessionsOutageSystemTest {

    private static PotLoginWithSandbox system;

    @BeforeAll
    static void start() {
        system = PotLoginWithSandbox.start(Map.of("test.signed-out-sessions", "faulty"));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @AfterEach
    void storeBack() {
        FaultySignedOutSessions.mode = FaultySignedOutSessions.Mode.UP;
    }

    @ParameterizedTest
    @EnumSource(value = FaultySignedOutSessions.Mode.class, names = {"UNAVAILABLE", "THROWS"})
    void me_is_503_store_unavailable_and_keeps_the_session_while_the_store_is_down(
            FaultySignedOutSessions.Mode outage) {
        ScriptedBrowser browser = signedIn();
        FaultySignedOutSessions.mode = outage;

        HttpResponse<String> refused = browser.getAccepting(system.app("/me"), "application/json");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"store_unavailable\"").doesNotContain("connection");
        assertThat(refused.headers().allValues("Set-Cookie")).as("the session is not ended by an outage").isEmpty();
        assertThat(browser.get(system.app("/")).body()).doesNotContain("Signed in as").contains("store_unavailable");

        FaultySignedOutSessions.mode = FaultySignedOutSessions.Mode.UP;
        assertThat(browser.get(system.app("/me")).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = FaultySignedOutSessions.Mode.class, names = {"UNAVAILABLE", "THROWS"})
    void a_sign_out_while_the_store_is_down_still_clears_the_cookie(FaultySignedOutSessions.Mode outage) {
        ScriptedBrowser browser = signedIn();
        FaultySignedOutSessions.mode = outage;
        URI home = system.app("/");

        HttpResponse<String> logout = browser.postForm(system.app("/logout"), Map.of(),
                home.getScheme() + "://" + home.getRawAuthority());

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(sessionCookieOf(logout)).startsWith(SESSION_COOKIE + "=;");
    }

    private static ScriptedBrowser signedIn() {
        ScriptedBrowser browser = new ScriptedBrowser();
        assertThat(browser.get(system.callbackFor(browser, "/")).statusCode()).isEqualTo(200);
        return browser;
    }
}
