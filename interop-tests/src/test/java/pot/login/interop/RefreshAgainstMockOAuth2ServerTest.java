package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.interop.PotLoginAgainstMockOAuth2ServerTest.SESSION_COOKIE;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pot.login.app.system.ScriptedBrowser;
import pot.login.domain.Secret;
import pot.login.domain.session.RefreshCookieCodec;
import pot.login.interop.PotLoginWithDiscoveryAgainstMockOAuth2ServerTest.App;

/**
 * ADR-0007 against mock-oauth2-server 5.0.2, configured with the generic recipe (discovery) and a refresh-cookie key.
 * The mock issues access tokens for {@value #TOKEN_SECONDS} s, less than the app's default
 * {@code pot-login.session.renew-before} (30 s), so every {@code /me} renews: no test waits for a token to expire.
 *
 * <p>What the mock does and does not do, read in its 5.0.2 sources: it issues a refresh token with every code and
 * refresh grant; with {@code OAuth2Config.rotateRefreshToken} (on here) a refresh replaces the token and forgets the
 * old one, so the old one is then refused with {@code invalid_grant} ("unknown refresh_token"). It does not revoke the
 * chain when a used token comes back (RFC 9700 §4.14.2): the newest token stays live. It sets {@code azp} only on the
 * code grant's access token, so its callback here names our client in {@code azp} itself (its {@code aud} is a
 * resource, {@code account}); without that, the app refuses a refreshed token as not issued to it. It has no switch
 * to refuse a refresh token: an enqueued token callback that throws {@code invalid_grant} stands in for a provider
 * that revoked it.
 *
 * <p>Only the app's clock moves ({@link MovableClock}); the mock's stays the system's. Moving both would not work:
 * the mock sets {@code nbf} to its own now, and micronaut-security judges {@code nbf} by the system's clock, so every
 * token of a mock moved ahead is refused as not yet valid. Where the app's clock has moved further than the mock's
 * tokens live, the mock is told to issue longer-lived ones (an enqueued token callback).
 */
class RefreshAgainstMockOAuth2ServerTest {

    static final String ISSUER_ID = "refresh";
    static final String SUBJECT = "mock-user-4";
    static final String REFRESH_COOKIE = "__Host-pot-refresh";
    static final String REFRESH_KEY = "interop-refresh-cookie-key-0123456789abcdef";
    static final long TOKEN_SECONDS = 20;

    private MockOAuth2Server mock;
    private App app;
    private MovableClock clock;

    @BeforeEach
    void start() {
        mock = new MockOAuth2Server(new OAuth2Config(false, null, null, true, new OAuth2TokenProvider(),
                Set.of(tokens(TOKEN_SECONDS))));
        mock.start();
        Map<String, Object> settings = new java.util.HashMap<>(Map.of("interop.clock", "movable"));
        // The settings the docs quote (generic-oidc-refresh.properties), with the key filled in.
        Properties refresh = new Properties();
        try (java.io.InputStream in = getClass().getResourceAsStream("/generic-oidc-refresh.properties")) {
            refresh.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        refresh.forEach((name, value) -> settings.put((String) name,
                ((String) value).replace("<refresh-cookie-key>", REFRESH_KEY)));
        app = App.start(mock.issuerUrl(ISSUER_ID).toString(), settings);
        clock = app.server().getApplicationContext().getBean(MovableClock.class);
    }

    /** The mock's user: {@code aud} a resource, {@code azp} our client, as many servers issue them. */
    private static DefaultOAuth2TokenCallback tokens(long lifetimeSeconds) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, SUBJECT, JOSEObjectType.JWT.getType(), List.of("account"),
                Map.of("name", "Margaret Hamilton", "azp", "pot-login-interop"), lifetimeSeconds);
    }

    @AfterEach
    void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            mock.shutdown();
        }
    }

    @Test
    void every_me_renews_at_the_mock_with_the_newest_refresh_token_and_sets_both_cookies_anew() {
        ScriptedBrowser browser = signedIn();
        URI site = app.uri("/");
        String access = browser.cookie(site, SESSION_COOKIE);
        String refreshCookie = browser.cookie(site, REFRESH_COOKIE);
        String refreshToken = open(refreshCookie);

        for (int renewal = 1; renewal <= 2; renewal++) {
            HttpResponse<String> me = browser.getAccepting(app.uri("/me"), "application/json");

            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(me.body()).contains("\"id\":\"" + SUBJECT + "\"", "\"name\":\"Margaret Hamilton\"");
            assertThat(ScriptedBrowser.setCookie(me, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
            assertThat(ScriptedBrowser.setCookie(me, REFRESH_COOKIE)).startsWith(REFRESH_COOKIE + "=v1.");
            assertThat(browser.cookie(site, SESSION_COOKIE)).as("renewal %d: a new access token", renewal)
                    .isNotEqualTo(access);
            assertThat(browser.cookie(site, REFRESH_COOKIE)).isNotEqualTo(refreshCookie);
            String rotated = open(browser.cookie(site, REFRESH_COOKIE));
            assertThat(rotated).as("renewal %d: the mock rotated the refresh token", renewal)
                    .isNotEqualTo(refreshToken);
            // The grant, server to server, with the refresh token the previous answer gave: the newest one.
            String previous = refreshToken;
            assertThat(tokenRequests()).singleElement().satisfies(grant -> assertThat(form(grant))
                    .containsEntry("grant_type", "refresh_token")
                    .containsEntry("refresh_token", previous)
                    .containsEntry("client_id", "pot-login-interop"));
            access = browser.cookie(site, SESSION_COOKIE);
            refreshCookie = browser.cookie(site, REFRESH_COOKIE);
            refreshToken = rotated;
        }
        assertThat(browser.get(app.uri("/")).body())
                .contains("Signed in as <strong id=\"user-name\">Margaret Hamilton</strong>");
    }

    @Test
    void an_old_copy_of_the_refresh_cookie_is_refused_after_rotation_and_its_session_ends_with_both_cookies_cleared() {
        ScriptedBrowser browser = signedIn();
        URI site = app.uri("/");
        String oldAccess = browser.cookie(site, SESSION_COOKIE);
        String oldRefreshCookie = browser.cookie(site, REFRESH_COOKIE);
        String oldRefreshToken = open(oldRefreshCookie);
        assertThat(browser.getAccepting(app.uri("/me"), "application/json").statusCode()).isEqualTo(200);
        tokenRequests();
        // Past the grace in which the app hands the same renewal to requests that left before it landed (ADR-0007).
        clock.advance(Duration.ofSeconds(31));

        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(site, SESSION_COOKIE, oldAccess);
        copy.plantCookie(site, REFRESH_COOKIE, oldRefreshCookie);
        HttpResponse<String> refused = copy.getAccepting(app.uri("/me"), "application/json");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":\"not_signed_in\"");
        assertEverySessionCookieClearedAndNothingElseSet(refused);
        assertThat(copy.cookies(site)).doesNotContainKeys(SESSION_COOKIE, REFRESH_COOKIE);
        assertThat(tokenRequests()).singleElement()
                .satisfies(grant -> assertThat(form(grant)).containsEntry("refresh_token", oldRefreshToken));
        HttpResponse<String> atTheMock = refreshAtTheMock(oldRefreshToken);
        assertThat(atTheMock.statusCode()).isEqualTo(400);
        assertThat(atTheMock.body()).containsPattern("\"error\"\\s*:\\s*\"invalid_grant\"");
        // The mock does not revoke the chain on reuse (RFC 9700 §4.14.2 says it should): the newest token is live.
        assertThat(refreshAtTheMock(open(browser.cookie(site, REFRESH_COOKIE))).statusCode()).isEqualTo(200);
    }

    @Test
    void a_refresh_the_provider_refuses_ends_the_session_with_401_and_both_cookies_cleared() {
        ScriptedBrowser browser = signedIn();
        URI site = app.uri("/");
        String refreshToken = open(browser.cookie(site, REFRESH_COOKIE));
        mock.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID) {
            @Override
            public String subject(TokenRequest tokenRequest) {
                throw new OAuth2Exception(OAuth2Error.INVALID_GRANT.setDescription("refresh token revoked"),
                        "refresh token revoked");
            }
        });

        HttpResponse<String> me = browser.getAccepting(app.uri("/me"), "application/json");

        assertThat(me.statusCode()).as(me.body()).isEqualTo(401);
        assertThat(me.body()).contains("\"code\":\"not_signed_in\"").doesNotContain(refreshToken);
        assertEverySessionCookieClearedAndNothingElseSet(me);
        assertThat(browser.cookies(site)).doesNotContainKeys(SESSION_COOKIE, REFRESH_COOKIE);
        assertThat(tokenRequests()).singleElement()
                .satisfies(grant -> assertThat(form(grant)).containsEntry("grant_type", "refresh_token"));
        assertThat(browser.get(app.uri("/")).body()).doesNotContain("Signed in as");
    }

    @Test
    void renewal_stops_at_the_sessions_max_lifetime_however_live_the_refresh_token_is() {
        ScriptedBrowser browser = signedIn();
        URI site = app.uri("/");
        String refreshCookie = browser.cookie(site, REFRESH_COOKIE);

        // A minute before the default max-lifetime (12 h) is over. A browser drops the access cookie at its Max-Age and comes back with the refresh cookie alone. The mock's
        // tokens must outlive the app's moved clock, or the renewed one is already expired by it.
        clock.advance(Duration.ofHours(12).minusMinutes(1));
        mock.enqueueCallback(tokens(Duration.ofHours(13).toSeconds()));
        ScriptedBrowser justBefore = withRefreshCookieOnly(refreshCookie);
        HttpResponse<String> renewed = justBefore.getAccepting(app.uri("/me"), "application/json");
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        assertThat(tokenRequests()).hasSize(1);
        String lastRefreshCookie = justBefore.cookie(site, REFRESH_COOKIE);
        // Both cookies live only for what is left of the session (the mock's token, for 13 h more).
        assertThat(maxAge(renewed, REFRESH_COOKIE)).isBetween(1L, 60L);
        assertThat(maxAge(renewed, SESSION_COOKIE)).isBetween(1L, 60L);

        clock.advance(Duration.ofMinutes(1));
        mock.enqueueCallback(tokens(Duration.ofHours(13).toSeconds()));
        ScriptedBrowser past = withRefreshCookieOnly(lastRefreshCookie);
        HttpResponse<String> ended = past.getAccepting(app.uri("/me"), "application/json");

        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(401);
        assertThat(ended.body()).contains("\"code\":\"not_signed_in\"");
        assertEverySessionCookieClearedAndNothingElseSet(ended);
        assertThat(tokenRequests()).as("no refresh is asked for past the max lifetime").isEmpty();
    }

    private ScriptedBrowser signedIn() {
        ScriptedBrowser browser = new ScriptedBrowser();
        HttpResponse<String> landing = browser.get(location(browser.get(location(browser.get(app.uri("/login"))))));
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        assertThat(ScriptedBrowser.setCookie(landing, REFRESH_COOKIE)).startsWith(REFRESH_COOKIE + "=v1.");
        assertThat(tokenRequests()).singleElement()
                .satisfies(grant -> assertThat(form(grant)).containsEntry("grant_type", "authorization_code"));
        return browser;
    }

    private ScriptedBrowser withRefreshCookieOnly(String refreshCookie) {
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.plantCookie(app.uri("/"), REFRESH_COOKIE, refreshCookie);
        return browser;
    }

    /** The session, its refresh cookie and its kept ID token go together (review 5): nothing half-set. */
    private static void assertEverySessionCookieClearedAndNothingElseSet(HttpResponse<String> response) {
        List<String> setCookies = response.headers().allValues("Set-Cookie");
        assertThat(setCookies).extracting(setCookie -> setCookie.split("=", 2)[0])
                .containsExactlyInAnyOrder(SESSION_COOKIE, SESSION_COOKIE + "-id", REFRESH_COOKIE);
        assertThat(setCookies).allSatisfy(setCookie -> {
            assertThat(ScriptedBrowser.value(setCookie)).isEmpty();
            assertThat(ScriptedBrowser.attributes(setCookie)).contains("max-age=0");
        });
    }

    private static long maxAge(HttpResponse<String> response, String cookie) {
        return ScriptedBrowser.attributes(ScriptedBrowser.setCookie(response, cookie)).stream()
                .filter(attribute -> attribute.startsWith("max-age="))
                .mapToLong(attribute -> Long.parseLong(attribute.substring("max-age=".length())))
                .findFirst().orElseThrow();
    }

    private static String open(String refreshCookie) {
        return new RefreshCookieCodec(REFRESH_COOKIE, Map.of("r1", Secret.of("r1", REFRESH_KEY)), "r1",
                new SecureRandom()).open(refreshCookie).orElseThrow().token().value();
    }

    /** The requests to the mock's token endpoint since the last call, oldest first (the others are dropped). */
    private List<RecordedRequest> tokenRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                RecordedRequest request = mock.takeRequest(200, TimeUnit.MILLISECONDS);
                if (URI.create(request.getPath()).getPath().equals("/" + ISSUER_ID + "/token")) {
                    requests.add(request);
                }
            } catch (RuntimeException none) {
                return requests;
            }
        }
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : request.getBody().clone().readUtf8().split("&")) {
            String[] nameValue = pair.split("=", 2);
            form.put(URLDecoder.decode(nameValue[0], StandardCharsets.UTF_8),
                    nameValue.length > 1 ? URLDecoder.decode(nameValue[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private HttpResponse<String> refreshAtTheMock(String refreshToken) {
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=pot-login-interop&client_secret=interop-client-secret-0123456789abcdef";
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(mock.tokenEndpointUrl(ISSUER_ID).uri())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("the mock did not answer", e);
        }
    }
}
