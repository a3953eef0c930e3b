package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.app.system.ScriptedBrowser.queryParameter;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The login as OpenID Connect ({@code scope=openid}) against the sandbox: {@code /login} sends a nonce derived from
 * the browser's flow secret, and the token response's ID token must name it (OIDC Core §3.1.3.7, §15.5.2). The app's
 * API root goes through {@link FaultyPortal}, so that a test can swap the ID token of the answer for another one.
 */
class IdTokenSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    private static final Pattern ID_TOKEN = Pattern.compile("\"id_token\"\\s*:\\s*\"([^\"]+)\"");

    static FaultyPortal portal;
    static PotLoginWithSandbox system;

    @BeforeAll
    static void start() {
        system = PotLoginWithSandbox.start(Map.of("pot-login.authorize-extra-parameters.scope", "openid"),
                sandbox -> {
                    portal = FaultyPortal.inFrontOf(sandbox);
                    return portal.uri();
                });
    }

    @AfterAll
    static void stop() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (portal != null) {
                portal.close();
            }
        }
    }

    @BeforeEach
    void portalAnswersAsItself() {
        portal.inject(FaultyPortal.Fault.NONE);
    }

    @Test
    void a_sign_in_with_scope_openid_sends_a_nonce_and_verifies_the_sandboxs_id_token() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI authorize = location(browser.get(system.app("/login")));
        assertThat(queryParameter(authorize, "scope")).isEqualTo("openid");
        assertThat(queryParameter(authorize, "nonce")).matches("[A-Za-z0-9_-]{43}");

        HttpResponse<String> landing = browser.get(location(browser.signInAtPortal(authorize, "demo", "demo",
                "sign-in")));

        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).isNotNull();
        assertThat(browser.get(system.app("/me")).body()).contains("\"id\":\"demo\"");
    }

    @Test
    void an_id_token_from_another_login_of_the_same_client_is_refused_without_a_session() {
        String attackersIdToken = theIdTokenOfAnotherLogin();
        portal.substituteIdToken(attackersIdToken);
        ScriptedBrowser victim = new ScriptedBrowser();

        HttpResponse<String> callback = victim.get(system.callbackFor(victim, null));

        assertThat(callback.statusCode()).isEqualTo(502);
        assertThat(callback.body()).contains("portal_bad_response").doesNotContain(attackersIdToken);
        assertThat(callback.headers().allValues("Set-Cookie")).noneMatch(cookie ->
                cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"));
        assertThat(victim.cookie(system.app("/"), SESSION_COOKIE)).isNull();
    }

    /**
     * A genuine ID token for this client and the same user, issued by the sandbox for a login that another browser
     * started at this app: its nonce is that browser's. The code is redeemed here with the client's credentials, as
     * whoever holds such a token got it; PKCE is left out of that one authorize request so that no verifier is needed.
     */
    private static String theIdTokenOfAnotherLogin() {
        ScriptedBrowser attacker = new ScriptedBrowser();
        URI authorize = location(attacker.get(system.app("/login")));
        String nonce = URLDecoder.decode(queryParameter(authorize, "nonce"), StandardCharsets.UTF_8);
        URI withoutPkce = URI.create(authorize.toString().replaceAll("&code_challenge(_method)?=[^&]*", ""));
        URI callback = location(attacker.signInAtPortal(withoutPkce, "demo", "demo", "sign-in"));
        String code = URLDecoder.decode(queryParameter(callback, "code"), StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&code=" + encoded(code)
                + "&redirect_uri=" + encoded(system.app("/login/complete").toString())
                + "&client_id=" + encoded(PotLoginWithSandbox.CLIENT_ID)
                + "&client_secret=" + encoded(PotLoginWithSandbox.CLIENT_SECRET);
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            system.portal.uri().resolve(FaultyPortal.TOKEN_PATH))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).isEqualTo(200);
        Matcher idToken = ID_TOKEN.matcher(response.body());
        assertThat(idToken.find()).isTrue();
        try {
            JWTClaimsSet claims = SignedJWT.parse(idToken.group(1)).getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(system.portal.issuer());
            assertThat(claims.getAudience()).containsExactly(PotLoginWithSandbox.CLIENT_ID);
            assertThat(claims.getSubject()).isEqualTo("demo");
            assertThat(claims.getStringClaim("nonce")).isEqualTo(nonce);
        } catch (ParseException e) {
            throw new AssertionError("the sandbox issued no JWT", e);
        }
        return idToken.group(1);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
