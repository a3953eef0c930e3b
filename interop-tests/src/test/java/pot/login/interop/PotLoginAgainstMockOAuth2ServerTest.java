package pot.login.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.app.system.ScriptedBrowser;

/**
 * The app's whole sign-in against NAV's mock-oauth2-server, an OAuth 2.0 / OpenID Connect server written and used by
 * others, instead of our sandbox. The app is pointed at it by configuration alone (see docs/configuration.md,
 * "Pointing at a standard OAuth2 / OIDC server"); the mock logs a user in without a form, so its authorize endpoint
 * answers straight away with the redirect back to us.
 */
class PotLoginAgainstMockOAuth2ServerTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    static final String ISSUER_ID = "default";
    static final String CLIENT_ID = "pot-login-interop";
    static final String CLIENT_SECRET = "interop-client-secret-0123456789abcdef";
    static final String STATE_KEY = "interop-state-key-0123456789abcdef0123456789";
    static final String SUBJECT = "mock-user-1";

    static MockOAuth2Server mock;
    /** client_secret_post and PKCE: the app's defaults. */
    static App app;

    @BeforeAll
    static void start() {
        // The mock's access token names "default" as its audience unless told otherwise, and (for the
        // authorization-code grant) the requesting client as azp: by default every token names us both ways.
        mock = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(),
                Set.of(tokenFor(List.of(CLIENT_ID)))));
        mock.start();
        app = App.start(Map.of());
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            mock.shutdown();
        }
    }

    @BeforeEach
    void forgetEarlierRequests() {
        recordedRequests();
    }

    @Test
    void a_user_signs_in_through_mock_oauth2_server_with_client_secret_post_and_pkce() {
        ScriptedBrowser browser = new ScriptedBrowser();

        // Steps 1–3: to the mock's authorize endpoint, with our parameters and the scope it needs.
        HttpResponse<String> login = browser.get(app.uri("/login"));
        assertThat(login.statusCode()).isEqualTo(303);
        URI authorize = location(login);
        assertThat(authorize.toString()).startsWith(mock.authorizationEndpointUrl(ISSUER_ID).toString());
        assertThat(authorize.getRawQuery()).contains("scope=openid", "response_type=code", "client_id=" + CLIENT_ID,
                "state=", "code_challenge_method=S256", "code_challenge=");

        // Steps 4–5: the mock signs in without a form and sends the browser back, with code and state but no iss.
        HttpResponse<String> callback = browser.get(authorize);
        assertThat(callback.statusCode()).isEqualTo(302);
        URI complete = location(callback);
        assertThat(complete.toString()).startsWith(app.uri("/login/complete").toString());
        assertThat(complete.getRawQuery()).contains("code=", "state=").doesNotContain("iss=");

        // Steps 6–8: the state is checked, the code exchanged at the mock's token endpoint, its token verified
        // against its JWKS, and the session cookie set.
        HttpResponse<String> landing = browser.get(complete);
        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        String setCookie = ScriptedBrowser.setCookie(landing, SESSION_COOKIE);
        assertThat(setCookie).startsWith(SESSION_COOKIE + "=ey");
        assertThat(ScriptedBrowser.attributes(setCookie)).contains("httponly", "secure", "samesite=strict", "path=/");
        Element refresh = Jsoup.parse(landing.body()).selectFirst("meta[http-equiv=refresh]");
        assertThat(refresh).isNotNull();
        assertThat(refresh.attr("content")).isEqualTo("0;url=/");

        // The token request was client_secret_post with the PKCE verifier, as the app's defaults say.
        RecordedRequest tokenRequest = tokenRequest(recordedRequests());
        String form = tokenRequest.getBody().readUtf8();
        assertThat(form).contains("grant_type=authorization_code", "client_id=" + CLIENT_ID,
                "client_secret=" + CLIENT_SECRET, "code_verifier=");
        assertThat(tokenRequest.getHeader("Authorization")).isNull();

        assertSignedInWithoutAPersonEndpoint(browser, app);
    }

    @Test
    void client_secret_basic_sends_the_secret_in_the_authorization_header_and_signs_in() {
        try (App basic = App.start(Map.of("pot-login.client-authentication", "client_secret_basic"))) {
            ScriptedBrowser browser = new ScriptedBrowser();

            HttpResponse<String> landing = signIn(browser, basic);

            assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
            assertThat(ScriptedBrowser.setCookie(landing, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
            RecordedRequest tokenRequest = tokenRequest(recordedRequests());
            assertThat(tokenRequest.getHeader("Authorization")).startsWith("Basic ");
            assertThat(tokenRequest.getBody().readUtf8()).contains("code_verifier=").doesNotContain("client_secret");
            assertSignedInWithoutAPersonEndpoint(browser, basic);
        }
    }

    @Test
    void with_pkce_switched_off_the_authorize_url_has_no_challenge_and_the_login_still_completes() {
        try (App noPkce = App.start(Map.of("pot-login.pkce", false))) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI authorize = location(browser.get(noPkce.uri("/login")));
            assertThat(authorize.getRawQuery()).doesNotContain("code_challenge");

            HttpResponse<String> landing = browser.get(location(browser.get(authorize)));

            assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
            assertThat(ScriptedBrowser.setCookie(landing, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=ey");
            assertThat(tokenRequest(recordedRequests()).getBody().readUtf8()).doesNotContain("code_verifier");
        }
    }

    @Test
    void a_tampered_state_is_refused_before_the_mock_is_asked_for_a_token() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI complete = location(browser.get(location(browser.get(app.uri("/login")))));
        String state = ScriptedBrowser.queryParameter(complete, "state");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");

        HttpResponse<String> refused = browser.get(URI.create(complete.toString().replace(state, tampered)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state_invalid");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE));
        assertThat(recordedRequests()).extracting(RecordedRequest::getPath)
                .noneMatch(path -> path.endsWith("/token"));
    }

    @Test
    void a_token_the_mock_issued_to_us_as_azp_but_for_a_resource_as_aud_signs_in_with_no_audience_setting() {
        // As Keycloak does: aud names a resource ("account"), azp the client the token was issued to.
        mock.enqueueCallback(tokenFor(List.of("account")));
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> landing = signIn(browser, app);

        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        assertThat(claimsOf(ScriptedBrowser.value(ScriptedBrowser.setCookie(landing, SESSION_COOKIE))))
                .containsEntry("azp", CLIENT_ID).containsEntry("aud", "account");
        assertSignedInWithoutAPersonEndpoint(browser, app);
    }

    @Test
    void a_token_the_mock_issued_to_another_client_is_no_session_though_its_aud_names_us() {
        // Another application of the same server signs in there: same key, same issuer, our client id as aud.
        String theirs = tokenIssuedTo("some-other-client");
        assertThat(claimsOf(theirs)).containsEntry("azp", "some-other-client").containsEntry("aud", CLIENT_ID);
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.plantCookie(app.uri("/"), SESSION_COOKIE, theirs);

        assertThat(browser.get(app.uri("/me")).statusCode()).isEqualTo(401);
        assertThat(browser.get(app.uri("/")).body()).doesNotContain("You are signed in");
    }

    @Test
    void a_token_endpoint_answering_with_a_token_whose_azp_is_another_client_is_refused_as_portal_bad_response() {
        mock.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, SUBJECT, JOSEObjectType.JWT.getType(),
                List.of(CLIENT_ID), Map.of(), 3600) {
            @Override
            public Map<String, Object> addClaims(TokenRequest request) {
                Map<String, Object> claims = new HashMap<>(super.addClaims(request));
                claims.put("azp", "some-other-client");
                return claims;
            }
        });
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> refused = signIn(browser, app);

        assertThat(refused.statusCode()).isEqualTo(502);
        assertThat(refused.body()).contains("portal_bad_response");
        assertThat(refused.headers().allValues("Set-Cookie")).noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "=ey"));
        assertThat(tokenRequest(recordedRequests())).isNotNull();
    }

    @Test
    void with_callback_issuer_required_the_mocks_callbacks_are_refused_as_they_carry_no_iss() {
        // mock-oauth2-server does not send RFC 9207's iss: against it callback-issuer-required must stay false.
        try (App strict = App.start(Map.of("pot-login.callback-issuer-required", true))) {
            HttpResponse<String> refused = signIn(new ScriptedBrowser(), strict);

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("issuer_mismatch");
            assertThat(recordedRequests()).extracting(RecordedRequest::getPath)
                    .noneMatch(path -> path.endsWith("/token"));
        }
    }

    @Test
    void the_mocks_userinfo_accepts_our_token_but_is_no_person_document_so_me_answers_portal_bad_response() {
        // me-path may point at the OIDC userinfo endpoint; it answers the token's claims, without the JSON-LD @id
        // that the portal-person lookup needs, so /me cannot say who the user is (user-lookup: oidc-userinfo can).
        ListAppender<ILoggingEvent> lookups = new ListAppender<>();
        lookups.start();
        Logger directory = (Logger) LoggerFactory.getLogger("pot.login.adapters.portal.MicronautHttpUserDirectory");
        directory.addAppender(lookups);
        try (App userinfo = App.start(Map.of("pot-login.me-path",
                mock.userInfoUrl(ISSUER_ID).encodedPath()))) {
            ScriptedBrowser browser = new ScriptedBrowser();
            assertThat(signIn(browser, userinfo).statusCode()).isEqualTo(200);

            HttpResponse<String> me = browser.get(userinfo.uri("/me"));

            assertThat(me.statusCode()).isEqualTo(502);
            assertThat(me.body()).contains("portal_bad_response");
            // Status 200: the mock verified our bearer token; only the document's shape is not ours.
            assertThat(lookups.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("User lookup failed: reason=portal_bad_response status=200 (user document without @id)");
        } finally {
            directory.detachAppender(lookups);
        }
    }

    @Test
    void with_user_lookup_oidc_userinfo_me_and_the_demo_page_show_the_person_from_the_mocks_userinfo()
            throws IOException {
        try (App userinfo = App.start(Map.of("pot-login.user-lookup", "oidc-userinfo",
                "pot-login.userinfo-uri", mock.userInfoUrl(ISSUER_ID).toString()))) {
            // The mock's userinfo answers the claims of the bearer token, so the token this login is issued
            // carries the standard claims of OIDC Core §5.1.
            mock.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, SUBJECT, JOSEObjectType.JWT.getType(),
                    List.of(CLIENT_ID), Map.of("name", "Ada Lovelace", "given_name", "Ada", "family_name", "Lovelace",
                            "preferred_username", "ada", "email", "ada@example.test"), 3600));
            ScriptedBrowser browser = new ScriptedBrowser();
            assertThat(signIn(browser, userinfo).statusCode()).isEqualTo(200);
            recordedRequests();

            HttpResponse<String> me = browser.get(userinfo.uri("/me"));

            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            Map<String, Object> person = userinfo.server().getApplicationContext().getBean(JsonMapper.class)
                    .readValue(me.body(), Argument.mapOf(String.class, Object.class));
            assertThat(person).containsEntry("id", SUBJECT).containsEntry("name", "Ada Lovelace")
                    .containsEntry("firstName", "Ada").containsEntry("lastName", "Lovelace")
                    .containsEntry("email", "ada@example.test");
            RecordedRequest asked = recordedRequests().stream()
                    .filter(request -> request.getPath().endsWith("/userinfo")).findFirst()
                    .orElseThrow(() -> new AssertionError("no userinfo request reached the mock"));
            assertThat(asked.getMethod()).isEqualTo("GET");
            assertThat(asked.getHeader("Authorization")).startsWith("Bearer ey");
            assertThat(browser.get(userinfo.uri("/")).body()).contains("Ada Lovelace");
        }
    }

    /** /login, the mock's authorize endpoint and the callback, in one browser; returns the callback's answer. */
    static HttpResponse<String> signIn(ScriptedBrowser browser, App app) {
        return browser.get(location(browser.get(location(browser.get(app.uri("/login"))))));
    }

    /**
     * The session cookie is a session for micronaut-security: the page the landing moves on to sees a signed-in user,
     * and {@code /me} gets past authentication (a 401 otherwise), failing only at the user lookup, because the mock has
     * no {@code /api/me}.
     */
    static void assertSignedInWithoutAPersonEndpoint(ScriptedBrowser browser, App app) {
        HttpResponse<String> home = browser.get(app.uri("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).contains("You are signed in", "portal_bad_response");

        HttpResponse<String> me = browser.get(app.uri("/me"));
        assertThat(me.statusCode()).isEqualTo(502);
        assertThat(me.body()).contains("portal_bad_response");
        assertThat(new ScriptedBrowser().get(app.uri("/me")).statusCode()).isEqualTo(401);
    }

    /** The mock's own authorization-code flow for another client, as that client would run it: its access token. */
    static String tokenIssuedTo(String clientId) {
        String redirectUri = "http://localhost:9/other-app/callback";
        URI authorize = URI.create(mock.authorizationEndpointUrl(ISSUER_ID) + "?response_type=code&scope=openid"
                + "&state=the-other-apps-state&client_id=" + clientId + "&redirect_uri=" + redirectUri);
        URI callback = location(new ScriptedBrowser().get(authorize));
        assertThat(callback.toString()).startsWith(redirectUri + "?");
        HttpResponse<String> token = new ScriptedBrowser().postForm(mock.tokenEndpointUrl(ISSUER_ID).uri(), Map.of(
                "grant_type", "authorization_code", "code", ScriptedBrowser.queryParameter(callback, "code"),
                "redirect_uri", redirectUri, "client_id", clientId, "client_secret", "their-secret"),
                mock.baseUrl().toString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Matcher accessToken = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
        assertThat(accessToken.find()).isTrue();
        return accessToken.group(1);
    }

    /** A JWT's claims, as a browser holding it could read them (unverified). */
    static Map<String, Object> claimsOf(String jwt) {
        try {
            return SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject();
        } catch (ParseException e) {
            throw new AssertionError("not a JWT", e);
        }
    }

    static DefaultOAuth2TokenCallback tokenFor(List<String> audience) {
        return new DefaultOAuth2TokenCallback(ISSUER_ID, SUBJECT, JOSEObjectType.JWT.getType(), audience, Map.of(),
                3600);
    }

    /** Every request the mock received since the last call, oldest first. */
    static List<RecordedRequest> recordedRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                requests.add(mock.takeRequest(50, TimeUnit.MILLISECONDS));
            } catch (RuntimeException none) {
                return requests;
            }
        }
    }

    static RecordedRequest tokenRequest(List<RecordedRequest> requests) {
        return requests.stream().filter(request -> request.getPath().endsWith("/token")).findFirst()
                .orElseThrow(() -> new AssertionError("no token request reached the mock"));
    }

    /** The app, configured for the mock as for any remote OAuth 2.0 server, on its own free port. */
    record App(EmbeddedServer server) implements AutoCloseable {

        static App start(Map<String, Object> extraSettings) {
            int port = Hops.freePort();
            Map<String, Object> settings = new HashMap<>();
            settings.put("micronaut.server.port", port);
            settings.put("micronaut.server.host", "localhost");
            settings.put("pot-login.api-root", withoutTrailingSlash(mock.baseUrl().toString()));
            settings.put("pot-login.authorize-uri", mock.authorizationEndpointUrl(ISSUER_ID).toString());
            // The mock's authorize endpoint parses every request as OpenID Connect, which requires scope=openid.
            settings.put("pot-login.authorize-extra-parameters.scope", "openid");
            settings.put("pot-login.token-path", mock.tokenEndpointUrl(ISSUER_ID).encodedPath());
            settings.put("pot-login.issuer", mock.issuerUrl(ISSUER_ID).toString());
            settings.put("pot-login.jwks-uri", mock.jwksUrl(ISSUER_ID).toString());
            settings.put("pot-login.client-id", CLIENT_ID);
            settings.put("pot-login.client-secret", CLIENT_SECRET);
            settings.put("pot-login.client-authentication", "client_secret_post");
            settings.put("pot-login.redirect-uri", "http://localhost:" + port + "/login/complete");
            settings.put("pot-login.state.signing-key-id", "interop-1");
            settings.put("pot-login.state.keys.interop-1", STATE_KEY);
            settings.putAll(extraSettings);
            return new App(ApplicationContext.run(EmbeddedServer.class, settings));
        }

        URI uri(String path) {
            return server.getURI().resolve(path);
        }

        @Override
        public void close() {
            server.getApplicationContext().close();
        }

        private static String withoutTrailingSlash(String url) {
            return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        }
    }
}
