package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.interop.PotLoginAgainstMockOAuth2ServerTest.SESSION_COOKIE;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;
import pot.login.interop.PotLoginWithDiscoveryAgainstMockOAuth2ServerTest.App;

/**
 * Sign-out reaches mock-oauth2-server, which advertises {@code end_session_endpoint} and {@code revocation_endpoint}
 * in its discovery document: the app is configured with the generic recipe alone (discovery), as a new user would.
 */
class SignOutAtTheProviderAgainstMockOAuth2ServerTest {

    static final String ISSUER_ID = "signout";
    static final String ID_TOKEN_COOKIE = SESSION_COOKIE + "-id";

    static MockOAuth2Server mock;

    @BeforeAll
    static void start() {
        mock = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(new DefaultOAuth2TokenCallback(ISSUER_ID, "mock-user-3", JOSEObjectType.JWT.getType(),
                        List.of("account"), Map.of("name", "Ada Lovelace"), 3600))));
        mock.start();
    }

    @AfterAll
    static void stop() {
        mock.shutdown();
    }

    @Test
    void sign_out_ends_our_session_revokes_the_token_and_sends_the_browser_to_the_providers_end_session_endpoint()
            throws Exception {
        try (App app = App.start(mock.issuerUrl(ISSUER_ID).toString(), Map.of())) {
            ScriptedBrowser browser = new ScriptedBrowser();
            HttpResponse<String> landing = browser.get(location(browser.get(location(browser.get(app.uri("/login"))))));
            assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
            String token = browser.cookie(app.uri("/"), SESSION_COOKIE);
            String idToken = browser.cookie(app.uri("/"), ID_TOKEN_COOKIE);
            assertThat(token).startsWith("ey");
            assertThat(SignedJWT.parse(idToken).getJWTClaimsSet().getAudience()).containsExactly("pot-login-interop");
            requests();

            String origin = app.uri("/").toString().replaceAll("/$", "");
            HttpResponse<String> logout = browser.postForm(app.uri("/logout"), Map.of(), origin);

            assertThat(logout.statusCode()).isEqualTo(303);
            URI endSession = location(logout);
            assertThat(endSession.getScheme() + "://" + endSession.getAuthority() + endSession.getPath())
                    .isEqualTo(mock.endSessionEndpointUrl(ISSUER_ID).toString());
            assertThat(parameterNames(endSession))
                    .containsExactly("client_id", "post_logout_redirect_uri", "id_token_hint");
            assertThat(parameter(endSession, "client_id")).isEqualTo("pot-login-interop");
            assertThat(parameter(endSession, "post_logout_redirect_uri")).isEqualTo(origin + "/");
            assertThat(parameter(endSession, "id_token_hint")).isEqualTo(idToken);
            assertThat(browser.cookies(app.uri("/"))).doesNotContainKeys(SESSION_COOKIE, ID_TOKEN_COOKIE);

            // The revocation request, server to server, with the session's access token.
            List<RecordedRequest> atTheProvider = requests();
            assertThat(atTheProvider).singleElement().satisfies(revoke -> {
                assertThat(revoke.getMethod()).isEqualTo("POST");
                assertThat(revoke.getPath()).isEqualTo("/" + ISSUER_ID + "/revoke");
                assertThat(revoke.getBody().readUtf8()).isEqualTo("token=" + token
                        + "&token_type_hint=access_token&client_id=pot-login-interop"
                        + "&client_secret=interop-client-secret-0123456789abcdef");
            });

            // The provider ends its session and sends the browser back to us.
            HttpResponse<String> atTheMock = browser.get(endSession);
            assertThat(location(atTheMock)).isEqualTo(URI.create(origin + "/"));

            ScriptedBrowser copy = new ScriptedBrowser();
            copy.plantCookie(app.uri("/"), SESSION_COOKIE, token);
            assertThat(copy.getAccepting(app.uri("/me"), "application/json").statusCode()).isEqualTo(401);
            // The ID token went into a URL as the hint; read from there and put in a session cookie, it is refused
            // too, though it is issued to us and signed by the provider.
            ScriptedBrowser fromTheUrl = new ScriptedBrowser();
            fromTheUrl.plantCookie(app.uri("/"), SESSION_COOKIE, parameter(endSession, "id_token_hint"));
            assertThat(fromTheUrl.getAccepting(app.uri("/me"), "application/json").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void with_provider_sign_out_and_revocation_switched_off_sign_out_stays_here() {
        try (App app = App.start(mock.issuerUrl(ISSUER_ID).toString(),
                Map.of("pot-login.provider-sign-out", false, "pot-login.revoke-on-sign-out", false))) {
            ScriptedBrowser browser = new ScriptedBrowser();
            browser.get(location(browser.get(location(browser.get(app.uri("/login"))))));
            requests();

            String origin = app.uri("/").toString().replaceAll("/$", "");
            HttpResponse<String> logout = browser.postForm(app.uri("/logout"), Map.of(), origin);

            assertThat(logout.statusCode()).isEqualTo(303);
            assertThat(logout.headers().firstValue("Location")).hasValue("/");
            assertThat(requests()).isEmpty();
        }
    }

    private static String parameter(URI uri, String name) {
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            if (nameValue[0].equals(name)) {
                return URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static List<String> parameterNames(URI uri) {
        List<String> names = new ArrayList<>();
        for (String pair : uri.getRawQuery().split("&")) {
            names.add(URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8));
        }
        return names;
    }

    /** Every request the mock received since the last call, oldest first. */
    private static List<RecordedRequest> requests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                requests.add(mock.takeRequest(200, TimeUnit.MILLISECONDS));
            } catch (RuntimeException none) {
                return requests;
            }
        }
    }
}
