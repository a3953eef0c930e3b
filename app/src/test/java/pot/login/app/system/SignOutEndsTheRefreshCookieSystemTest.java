package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Review 5: sign-out promises that a copy of the session's cookies is refused from then on (SignOut, SignedOutSessions).
 * With ADR-0007 the session is also its refresh cookie, so a copy of that cookie must not renew a signed-out session.
 */
class SignOutEndsTheRefreshCookieSystemTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String REFRESH = "__Host-pot-refresh";
    private static final String REFRESH_KEY = "review5-refresh-cookie-key-0123456789abcdefgh";

    private PotLoginWithSandbox servers;

    @BeforeEach
    void start() {
        servers = PotLoginWithSandbox.startWithSandbox(Map.of(
                        "pot-login.session.refresh-cookie-keys.r1", REFRESH_KEY,
                        "pot-login.session.refresh-cookie-key-id", "r1",
                        "pot-login.session.renew-before", "0s"),
                sandbox -> sandbox.withRefreshTokens(true).withTokenLifetime(Duration.ofMinutes(1)));
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void a_copy_of_the_refresh_cookie_does_not_renew_a_session_that_was_signed_out() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.get(servers.callbackFor(browser, "/me"));
        String refreshCookie = browser.cookie(site, REFRESH);
        assertThat(refreshCookie).as("the sign-in set a refresh cookie").isNotBlank();

        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(), origin());
        assertThat(logout.statusCode()).isEqualTo(303);

        assertThat(copyPresents(refreshCookie).statusCode()).as("a copy of the refresh cookie after sign-out")
                .isEqualTo(401);
    }

    @Test
    void a_sign_out_after_the_access_token_expired_still_ends_the_refresh_cookie() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.get(servers.callbackFor(browser, "/me"));
        String refreshCookie = browser.cookie(site, REFRESH);
        browser.plantCookie(site, SESSION, expiredAccessToken());

        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(), origin());
        assertThat(logout.statusCode()).isEqualTo(303);

        assertThat(copyPresents(refreshCookie).statusCode()).as("a copy of the refresh cookie after sign-out")
                .isEqualTo(401);
    }

    private HttpResponse<String> copyPresents(String refreshCookie) {
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(servers.app("/"), SESSION, expiredAccessToken());
        copy.plantCookie(servers.app("/"), REFRESH, refreshCookie);
        return copy.getAccepting(servers.app("/me"), "application/json");
    }

    private String expiredAccessToken() {
        Instant issued = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        return servers.portal.signWithTheTokenKey(new JWTClaimsSet.Builder()
                .subject("demo").audience(PotLoginWithSandbox.CLIENT_ID).issuer(servers.portal.issuer())
                .issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(Duration.ofMinutes(1))))
                .claim("type", "User").build());
    }

    private String origin() {
        URI home = servers.app("/");
        return home.getScheme() + "://" + home.getRawAuthority();
    }
}
