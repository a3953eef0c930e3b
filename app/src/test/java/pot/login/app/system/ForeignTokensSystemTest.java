package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * Tokens that carry the portal's real signature but one wrong claim are no session: not as the session cookie, and
 * not as the token the portal's token endpoint answers with in step 7. The signature proves only who signed a token;
 * whether it was issued by our portal, to this app, and is still valid is in its claims, and the portal signs tokens
 * for every client it serves (RFC 8725 §3.8, §3.9). A refused cookie is refused by the app itself: the portal is never
 * asked who it belongs to (the sandbox's own user endpoint does not look at the audience, so it would answer). The same
 * whole-string comparison of the issuer holds for the callback's {@code iss} (RFC 9207).
 *
 * <p>The browser signs in at the real sandbox; the app's API root (token endpoint and {@code /api/me}) goes through
 * {@link FaultyPortal}, which lets the sandbox redeem the code and then answers with the token a test chose.
 */
class ForeignTokensSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    /** Another application registered at the same portal. */
    static final String OTHER_CLIENT_ID = "another-client-of-the-portal";
    static final String OTHER_CLIENT_SECRET = "another-client-secret-0123456789abcdef";
    static final String OTHER_REDIRECT_URI = "http://localhost:9/other-app/callback";
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    static PortalSandbox sandbox;
    static FaultyPortal portal;
    static EmbeddedServer app;
    static String ours;
    static String issuedToAnotherClient;

    /** A token signed by the portal's key that is not this app's session, made when the test runs. */
    record ForeignToken(String name, Supplier<String> token) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<ForeignToken> foreignTokens() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Stream.of(
                changed("whose iss is ours with a path after it", claims -> claims.issuer(ours + "/evil")),
                changed("whose iss ends with ours", claims -> claims.issuer("https://evil.example/" + ours)),
                changed("whose iss is ours in capitals", claims -> claims.issuer(ours.toUpperCase(Locale.ROOT))),
                changed("without iss", claims -> claims.issuer(null)),
                changed("without exp", claims -> claims.expirationTime(null)),
                changed("whose exp was a minute ago", claims -> claims
                        .issueTime(Date.from(now.minus(Duration.ofMinutes(61))))
                        .expirationTime(Date.from(now.minus(Duration.ofMinutes(1))))),
                changed("whose nbf is a minute ahead", claims -> claims
                        .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(1))))),
                changed("whose aud is another client of the portal", claims -> claims.audience(OTHER_CLIENT_ID)),
                changed("without aud", claims -> claims.audience((String) null)),
                changed("whose aud is a resource every client's token names", claims -> claims.audience("account")),
                changed("whose azp is another client of the portal though its aud is ours",
                        claims -> claims.claim("azp", OTHER_CLIENT_ID)),
                changed("whose azp is another client and whose aud is a resource",
                        claims -> claims.audience("account").claim("azp", OTHER_CLIENT_ID)),
                changed("whose azp is blank though its aud is ours", claims -> claims.claim("azp", "")),
                changed("without sub", claims -> claims.subject(null)),
                new ForeignToken("issued by the sandbox to another client", () -> issuedToAnotherClient));
    }

    /** The token the sandbox issues to this app, with one claim changed, signed with the sandbox's own key. */
    private static ForeignToken changed(String name, UnaryOperator<JWTClaimsSet.Builder> change) {
        return new ForeignToken(name, () -> signed(change));
    }

    @BeforeAll
    static void start() {
        int appPort = freePort();
        URI redirectUri = URI.create("http://localhost:" + appPort + "/login/complete");
        sandbox = PortalSandbox.start(SandboxSettings.defaults()
                        .withPort(0)
                        .withClients(List.of(
                                new RegisteredClient(PotLoginWithSandbox.CLIENT_ID, PotLoginWithSandbox.CLIENT_SECRET,
                                        List.of(redirectUri.toString())),
                                new RegisteredClient(OTHER_CLIENT_ID, OTHER_CLIENT_SECRET,
                                        List.of(OTHER_REDIRECT_URI)))),
                Map.of("pot-login.enabled", false));
        ours = sandbox.issuer();
        portal = FaultyPortal.inFrontOf(sandbox.uri());
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.api-root", portal.uri().toString());
        settings.put("pot-login.authorize-uri", sandbox.uri().resolve("/").toString());
        settings.put("pot-login.jwks-uri", sandbox.uri().resolve("/keys/jwks.json").toString());
        settings.put("pot-login.issuer", ours);
        settings.put("pot-login.client-id", PotLoginWithSandbox.CLIENT_ID);
        settings.put("pot-login.client-secret", PotLoginWithSandbox.CLIENT_SECRET);
        settings.put("pot-login.redirect-uri", redirectUri.toString());
        settings.put("pot-login.state.signing-key-id", "system-1");
        settings.put("pot-login.state.keys.system-1", PotLoginWithSandbox.STATE_KEY);
        app = ApplicationContext.run(EmbeddedServer.class, settings);
        issuedToAnotherClient = signInAsTheOtherClient();
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.getApplicationContext().close();
            }
        } finally {
            if (portal != null) {
                portal.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    @BeforeEach
    void portalAnswersAsItself() {
        portal.inject(FaultyPortal.Fault.NONE);
        portal.resetCount();
    }

    @Test
    void a_token_signed_by_the_portal_with_every_claim_right_is_a_session() {
        String token = signed(UnaryOperator.identity());

        HttpResponse<String> me = browserWith(token).get(app("/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"demo\"");
        HttpResponse<String> home = browserWith(token).get(app("/"));
        assertThat(home.body()).contains("Signed in as").doesNotContain("id=\"sign-in\"");
        assertThat(portal.userRequests()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignTokens")
    void a_token_signed_by_the_portal_with_one_claim_wrong_is_no_session_and_never_shown_to_the_portal(
            ForeignToken foreign) {
        String token = foreign.token().get();

        HttpResponse<String> me = browserWith(token).get(app("/me"));
        assertThat(me.statusCode()).as("GET /me with a token %s", foreign).isEqualTo(401);
        assertThat(me.body()).contains("not_signed_in");
        HttpResponse<String> home = browserWith(token).get(app("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).as("the demo page with a token %s", foreign)
                .contains("id=\"sign-in\"").doesNotContain("Signed in as");
        assertThat(portal.userRequests()).as("the portal asked who holds a token %s", foreign).isZero();
    }

    @Test
    void a_token_whose_azp_is_ours_is_a_session_though_its_aud_names_only_a_resource() {
        // Servers such as Keycloak issue access tokens to a client with azp = the client, aud = "account".
        String token = signed(claims -> claims.audience("account").claim("azp", PotLoginWithSandbox.CLIENT_ID));

        HttpResponse<String> me = browserWith(token).get(app("/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"demo\"");

        portal.substitute(token);
        ScriptedBrowser browser = new ScriptedBrowser();
        HttpResponse<String> landing = browser.get(callbackFor(browser));
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(app("/"), SESSION_COOKIE)).isEqualTo(token);
    }

    @Test
    void the_token_endpoint_answering_with_a_token_signed_by_the_portal_with_every_claim_right_signs_the_user_in() {
        String token = signed(UnaryOperator.identity());
        portal.substitute(token);
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> landing = browser.get(callbackFor(browser));

        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(app("/"), SESSION_COOKIE)).isEqualTo(token);
        assertThat(portal.tokenRequests()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignTokens")
    void the_token_endpoint_answering_with_a_token_with_one_claim_wrong_signs_nobody_in(ForeignToken foreign) {
        portal.substitute(foreign.token().get());
        ScriptedBrowser browser = new ScriptedBrowser();

        HttpResponse<String> callback = browser.get(callbackFor(browser));

        assertThat(callback.statusCode()).as("the callback when step 7 yields a token %s", foreign)
                .isEqualTo(502);
        assertThat(callback.body()).contains("portal_bad_response");
        assertThat(callback.headers().allValues("Set-Cookie"))
                .noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"));
        assertThat(browser.cookie(app("/"), SESSION_COOKIE)).isNull();
        assertThat(portal.tokenRequests()).isEqualTo(1);
    }

    @Test
    void a_token_of_step_7_issued_to_another_client_is_logged_with_the_check_and_its_claims_but_not_itself() {
        String token = signed(claims -> claims.claim("azp", OTHER_CLIENT_ID));
        portal.substitute(token);
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(browser);
        Logger verifier = (Logger) LoggerFactory.getLogger("pot.login.adapters.portal.MicronautSecurityTokenVerifier");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        verifier.addAppender(logs);
        try {
            assertThat(browser.get(callback).statusCode()).isEqualTo(502);
        } finally {
            verifier.detachAppender(logs);
        }

        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
                .startsWith("Token refused by the authorized party check: alg=RS256 kid=")
                .contains(" iss=" + ours + " sub=demo aud=[" + PotLoginWithSandbox.CLIENT_ID + "] azp=" + OTHER_CLIENT_ID
                        + " exp=")
                .endsWith("(expected client " + PotLoginWithSandbox.CLIENT_ID + ")")
                .doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    /** What the sandbox's token endpoint issues to this app, changed, and signed with the sandbox's own key. */
    @Test
    void a_callback_whose_iss_merely_starts_or_ends_with_ours_is_refused_before_the_code_is_used() {
        // RFC 9207 §2.4: the callback's iss is compared as a whole string; any other issuer is a mix-up attack.
        for (String issuer : List.of(ours + "/evil", "https://evil.example/" + ours, ours.toUpperCase(Locale.ROOT),
                ours.substring(0, ours.length() - 1))) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI callback = callbackFor(browser);
            String iss = ScriptedBrowser.queryParameter(callback, "iss");
            assertThat(iss).isEqualTo(encoded(ours));

            HttpResponse<String> refused = browser.get(URI.create(callback.toString()
                    .replace("iss=" + iss, "iss=" + encoded(issuer))));

            assertThat(refused.statusCode()).as("the callback naming %s", issuer).isEqualTo(400);
            assertThat(refused.body()).contains("issuer_mismatch");
            assertThat(browser.cookie(app("/"), SESSION_COOKIE)).isNull();
        }
        assertThat(portal.tokenRequests()).isZero();
    }

    private static String signed(UnaryOperator<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject("demo")
                .audience(PotLoginWithSandbox.CLIENT_ID)
                .issuer(ours)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("type", "User");
        return sandbox.signWithTheTokenKey(change.apply(claims).build());
    }

    /** The whole authorization-code flow of the other client, at the real sandbox: its token, as the portal issued it. */
    private static String signInAsTheOtherClient() {
        URI authorize = URI.create(sandbox.uri().resolve("/") + "?response_type=code&client_id=" + OTHER_CLIENT_ID
                + "&redirect_uri=" + encoded(OTHER_REDIRECT_URI) + "&state=the-other-apps-state");
        URI callback = location(new ScriptedBrowser().signInAtPortal(authorize, "demo", "demo", "sign-in"));
        assertThat(callback.toString()).startsWith(OTHER_REDIRECT_URI + "?");
        String code = URLDecoder.decode(ScriptedBrowser.queryParameter(callback, "code"), StandardCharsets.UTF_8);
        String form = "grant_type=authorization_code&code=" + encoded(code) + "&redirect_uri="
                + encoded(OTHER_REDIRECT_URI) + "&client_id=" + encoded(OTHER_CLIENT_ID) + "&client_secret="
                + encoded(OTHER_CLIENT_SECRET);
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sandbox.uri().resolve(FaultyPortal.TOKEN_PATH))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher token = ACCESS_TOKEN.matcher(response.body());
        assertThat(token.find()).isTrue();
        // Our portal's own token, right in every claim but the audience: only that may make the app refuse it.
        try {
            JWTClaimsSet claims = SignedJWT.parse(token.group(1)).getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(ours);
            assertThat(claims.getAudience()).containsExactly(OTHER_CLIENT_ID);
            assertThat(claims.getSubject()).isEqualTo("demo");
            assertThat(claims.getExpirationTime()).isInTheFuture();
        } catch (ParseException e) {
            throw new AssertionError("the sandbox issued no JWT", e);
        }
        return token.group(1);
    }

    private static ScriptedBrowser browserWith(String token) {
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.plantCookie(app("/"), SESSION_COOKIE, token);
        return browser;
    }

    /** /login and the portal's form in this browser; the callback URL, not yet followed. */
    private static URI callbackFor(ScriptedBrowser browser) {
        URI authorize = location(browser.get(app("/login")));
        return location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
    }

    private static URI app(String path) {
        return app.getURI().resolve(path);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
