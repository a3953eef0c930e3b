package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.SignInSystemTest.SESSION_COOKIE;
import static pot.login.app.system.SignInSystemTest.sessionCookieOf;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign-out ends the session on the server, not only in the browser that signed out: a copy of the session cookie
 * (another tab's, a stolen one, a restored browser profile) is refused afterwards, while it is still validly signed
 * and unexpired, and the portal would still accept its token.
 */
class SignOutEndsTheSessionSystemTest {

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
    void a_copy_of_the_session_cookie_presented_after_sign_out_is_refused_and_cleared_and_other_sessions_go_on() {
        ScriptedBrowser other = signedIn();
        // The sandbox's tokens carry no id: one issued in another second is another token, so another session.
        waitForTheNextSecond();
        ScriptedBrowser browser = signedIn();
        String token = browser.cookie(servers.app("/"), SESSION_COOKIE);
        assertThat(token).isNotEqualTo(other.cookie(servers.app("/"), SESSION_COOKIE));
        assertThat(withCookie(token).get(servers.app("/me")).statusCode()).as("a copy works before sign-out")
                .isEqualTo(200);

        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(), origin());
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(sessionCookieOf(logout)).startsWith(SESSION_COOKIE + "=;");

        HttpResponse<String> me = withCookie(token).getAccepting(servers.app("/me"), "application/json");
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).contains("\"code\":\"not_signed_in\"").doesNotContain(token);
        assertCleared(me);

        // Another copy: the one above was cleared, as a browser clears it.
        HttpResponse<String> page = withCookie(token).get(servers.app("/"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign in with Platform of Trust").doesNotContain("Signed in as", "Sign out");
        assertCleared(page);

        HttpResponse<String> stillSignedIn = other.get(servers.app("/me"));
        assertThat(stillSignedIn.statusCode()).isEqualTo(200);
        assertThat(stillSignedIn.body()).contains("\"id\":\"demo\"");
        assertThat(other.get(servers.app("/")).body()).contains("Signed in as");
    }

    private static ScriptedBrowser signedIn() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = servers.callbackFor(browser, "/");
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
        assertThat(browser.get(servers.app("/me")).statusCode()).isEqualTo(200);
        return browser;
    }

    /** A browser that holds a copy of the session cookie, and nothing else. */
    private static ScriptedBrowser withCookie(String token) {
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(servers.app("/"), SESSION_COOKIE, token);
        return copy;
    }

    private static void assertCleared(HttpResponse<String> response) {
        String cleared = sessionCookieOf(response);
        assertThat(cleared).startsWith(SESSION_COOKIE + "=;");
        assertThat(ScriptedBrowser.attributes(cleared)).contains("max-age=0", "httponly", "secure",
                "samesite=strict", "path=/");
    }

    private static String origin() {
        URI home = servers.app("/");
        return home.getScheme() + "://" + home.getRawAuthority();
    }

    private static void waitForTheNextSecond() {
        Instant next = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (Instant.now().isBefore(next)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", interrupted);
            }
        }
    }
}
