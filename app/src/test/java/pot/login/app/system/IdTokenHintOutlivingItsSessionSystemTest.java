package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SignOutAtProvider's old gap, over real HTTP: an ID token whose {@code exp} is later than its access token's, sent as
 * the {@code id_token_hint} at sign-out (so it is in a URL), must be no session once the access token has expired
 * either. The tokens are the sandbox's own signature with lifetimes the sandbox would not choose; both carry the
 * sandbox's {@code type} claim, as a provider whose user endpoint accepts its ID tokens too (mock-oauth2-server's
 * does), so that only our sign-out record can refuse the planted ID token.
 */
class IdTokenHintOutlivingItsSessionSystemTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String KEPT_ID_TOKEN = "__Host-pot-session-id";
    private static final URI END_SESSION = URI.create("https://provider.test/logout");

    static PotLoginWithSandbox system;

    @BeforeAll
    static void start() {
        system = PotLoginWithSandbox.start(Map.of("pot-login.authorize-extra-parameters.scope", "openid",
                "pot-login.end-session-uri", END_SESSION.toString()));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void an_id_token_hint_that_outlives_the_access_token_is_no_session_after_sign_out_once_the_access_token_expired()
            throws InterruptedException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String idToken = sign(now, now.plus(Duration.ofHours(1)), true);
        URI site = system.app("/");
        // The premise: an ID token issued to us passes every check a session token must pass.
        ScriptedBrowser before = new ScriptedBrowser();
        before.plantCookie(site, SESSION, idToken);
        assertThat(before.getAccepting(system.app("/me"), "application/json").statusCode()).isEqualTo(200);
        // Minted only now, so that the first requests' warm-up does not eat its few seconds.
        Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant accessExpires = issued.plusSeconds(3);
        String access = sign(issued, accessExpires, false);

        ScriptedBrowser browser = new ScriptedBrowser();
        browser.plantCookie(site, SESSION, access);
        browser.plantCookie(site, KEPT_ID_TOKEN, idToken);
        HttpResponse<String> logout = browser.postForm(system.app("/logout"), Map.of(),
                site.getScheme() + "://" + site.getRawAuthority());
        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(logout.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location)
                .startsWith(END_SESSION.toString())
                .contains("id_token_hint=" + URLEncoder.encode(idToken, StandardCharsets.UTF_8)));

        // Past the access token's exp (whole seconds, and a second for the checks' rounding): its sign-out record
        // would be gone, had the hint been signed out only as long.
        Thread.sleep(Duration.between(Instant.now(), accessExpires.plusSeconds(2)).toMillis());
        ScriptedBrowser reader = new ScriptedBrowser();
        reader.plantCookie(site, SESSION, idToken);
        HttpResponse<String> me = reader.getAccepting(system.app("/me"), "application/json");

        assertThat(me.statusCode()).as(me.body()).isEqualTo(401);
        assertThat(me.body()).contains("\"code\":\"not_signed_in\"");
    }

    private static String sign(Instant issued, Instant expires, boolean idToken) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject("demo").audience(PotLoginWithSandbox.CLIENT_ID).issuer(system.portal.issuer())
                .issueTime(Date.from(issued)).expirationTime(Date.from(expires))
                .claim("type", "User");
        if (idToken) {
            claims.claim("azp", PotLoginWithSandbox.CLIENT_ID);
        }
        return system.portal.signWithTheTokenKey(claims.build());
    }
}
