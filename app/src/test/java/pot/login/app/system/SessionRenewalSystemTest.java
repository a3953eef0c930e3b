package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import pot.login.domain.MovableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.domain.Secret;
import pot.login.domain.session.RefreshCookieCodec;
import pot.login.domain.session.RefreshSession;

/**
 * ADR-0007 over real HTTP: a sandbox that issues one-minute access tokens and rotating refresh tokens, on a clock the
 * test moves. micronaut-security judges the cookie's {@code exp} by the system's clock, so "the access token has
 * expired" is a token of the sandbox's whose {@code exp} is past, in place of the one the browser got.
 */
class SessionRenewalSystemTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String REFRESH = "__Host-pot-refresh";
    private static final String REVOCATION_PATH = "/api/auth/v1/oauth/token/revoke";
    private static final String REFRESH_KEY = "system-test-refresh-cookie-key-0123456789abc";

    private final MovableClock portalClock = new MovableClock(Instant.now());
    private PotLoginWithSandbox servers;
    private ListAppender<ILoggingEvent> logs;
    private Logger root;

    @BeforeEach
    void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ((Logger) LoggerFactory.getLogger("pot.login")).setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        // renew-before 0s: the requests of this test come one at a time, so no renewal result is shared between them.
        servers = PotLoginWithSandbox.startWithSandbox(Map.of(
                        "pot-login.session.refresh-cookie-keys.r1", REFRESH_KEY,
                        "pot-login.session.refresh-cookie-key-id", "r1",
                        "pot-login.session.renew-before", "0s",
                        // The sandbox's RFC 7009 endpoint, next to its token endpoint.
                        "pot-login.revocation-uri", "${pot-login.api-root}" + REVOCATION_PATH),
                sandbox -> sandbox.withRefreshTokens(true).withTokenLifetime(Duration.ofMinutes(1))
                        .withClock(portalClock));
    }

    @AfterEach
    void stop() {
        servers.close();
        root.detachAppender(logs);
        ((Logger) LoggerFactory.getLogger("pot.login")).setLevel(Level.INFO);
    }

    @Test
    void me_keeps_answering_after_the_access_token_expired_the_refresh_cookie_rotates_and_the_old_one_is_refused() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        HttpResponse<String> landing = browser.get(servers.callbackFor(browser, "/me"));
        String refreshSetCookie = ScriptedBrowser.setCookie(landing, REFRESH);
        assertThat(ScriptedBrowser.attributes(refreshSetCookie))
                .contains("httponly", "secure", "samesite=strict", "path=/", "max-age=43200")
                .noneMatch(attribute -> attribute.startsWith("domain="));
        String firstRefreshCookie = browser.cookie(site, REFRESH);
        String firstRefreshToken = open(firstRefreshCookie);

        portalClock.advance(Duration.ofMinutes(2));
        browser.plantCookie(site, SESSION, expiredAccessToken());
        HttpResponse<String> me = browser.getAccepting(servers.app("/me"), "application/json");

        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"demo\"");
        String renewedAccess = browser.cookie(site, SESSION);
        assertThat(renewedAccess).startsWith("ey").isNotEqualTo(expiredAccessToken());
        String secondRefreshCookie = browser.cookie(site, REFRESH);
        assertThat(secondRefreshCookie).isNotEqualTo(firstRefreshCookie);
        String secondRefreshToken = open(secondRefreshCookie);
        assertThat(secondRefreshToken).as("rotated").isNotEqualTo(firstRefreshToken);
        assertThat(browser.getAccepting(servers.app("/me"), "application/json").statusCode())
                .as("the renewed session goes on").isEqualTo(200);
        assertThat(browser.get(servers.app("/")).body()).contains("Signed in as");

        // A copy of the first cookies: the sandbox refuses the rotated-away refresh token, the session ends cleanly.
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(site, SESSION, expiredAccessToken());
        copy.plantCookie(site, REFRESH, firstRefreshCookie);
        HttpResponse<String> refused = copy.getAccepting(servers.app("/me"), "application/json");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":\"not_signed_in\"");
        assertThat(copy.cookies(site)).doesNotContainKeys(SESSION, REFRESH);
        assertThat(refreshAtThePortal(firstRefreshToken).body()).contains("\"error\":\"invalid_grant\"");

        List<String> seen = new ArrayList<>();
        for (ScriptedBrowser each : List.of(browser, copy)) {
            for (HttpResponse<String> response : each.history()) {
                seen.add(response.uri().toString());
                seen.add(response.headers().map().toString());
                seen.add(response.body());
            }
        }
        for (ILoggingEvent event : logs.list) {
            seen.add(event.getFormattedMessage());
            if (event.getThrowableProxy() != null) {
                seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
            }
        }
        assertThat(logs.list).anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("session renewed"));
        assertThat(seen).noneMatch(text -> text.contains(firstRefreshToken) || text.contains(secondRefreshToken)
                || text.contains(REFRESH_KEY));
    }

    @Test
    void after_sign_out_the_old_refresh_token_no_longer_works_at_the_provider_nor_as_a_copied_cookie() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.get(servers.callbackFor(browser, "/me"));
        String refreshCookie = browser.cookie(site, REFRESH);
        String refreshToken = open(refreshCookie);

        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(),
                site.getScheme() + "://" + site.getRawAuthority());

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(browser.cookies(site)).doesNotContainKeys(SESSION, REFRESH);
        assertThat(refreshAtThePortal(refreshToken).body()).contains("\"error\":\"invalid_grant\"");
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(site, SESSION, expiredAccessToken());
        copy.plantCookie(site, REFRESH, refreshCookie);
        assertThat(copy.getAccepting(servers.app("/me"), "application/json").statusCode()).isEqualTo(401);
        assertThat(logs.list).noneMatch(event -> event.getFormattedMessage().contains(refreshToken));
    }

    @Test
    void a_sign_out_after_the_access_token_expired_still_revokes_the_refresh_token() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.get(servers.callbackFor(browser, "/me"));
        String refreshToken = open(browser.cookie(site, REFRESH));
        browser.plantCookie(site, SESSION, expiredAccessToken());

        HttpResponse<String> logout = browser.postForm(servers.app("/logout"), Map.of(),
                site.getScheme() + "://" + site.getRawAuthority());

        assertThat(logout.statusCode()).isEqualTo(303);
        assertThat(refreshAtThePortal(refreshToken).body()).contains("\"error\":\"invalid_grant\"");
    }

    @Test
    void the_start_page_while_the_provider_is_down_during_a_renewal_says_try_again_later_as_me_does() {
        URI site = servers.app("/");
        ScriptedBrowser browser = new ScriptedBrowser();
        browser.get(servers.callbackFor(browser, "/me"));
        browser.plantCookie(site, SESSION, expiredAccessToken());
        String refreshCookie = browser.cookie(site, REFRESH);
        servers.portal.close();

        HttpResponse<String> home = browser.getAccepting(site, "text/html");
        HttpResponse<String> me = browser.getAccepting(servers.app("/me"), "application/json");

        assertThat(home.statusCode()).as(home.body()).isEqualTo(me.statusCode()).isBetween(502, 504);
        assertThat(me.body()).contains("\"code\":\"portal_unavailable\"");
        assertThat(home.body()).contains("<code>portal_unavailable</code>").contains("Please try again in a moment.");
        assertThat(home.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(browser.cookie(site, REFRESH)).isEqualTo(refreshCookie);
    }

    private String open(String refreshCookie) {
        RefreshSession session = new RefreshCookieCodec(REFRESH, Map.of("r1", Secret.of("r1", REFRESH_KEY)), "r1",
                new SecureRandom()).open(refreshCookie).orElseThrow();
        assertThat(session.subject()).isEqualTo("demo");
        return session.token().value();
    }

    private String expiredAccessToken() {
        Instant issued = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return servers.portal.signWithTheTokenKey(new JWTClaimsSet.Builder()
                .subject("demo").audience(PotLoginWithSandbox.CLIENT_ID).issuer(servers.portal.issuer())
                .issueTime(Date.from(issued)).expirationTime(Date.from(issued.plus(Duration.ofMinutes(1))))
                .claim("type", "User").build());
    }

    private HttpResponse<String> refreshAtThePortal(String refreshToken) {
        String form = "grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=" + PotLoginWithSandbox.CLIENT_ID + "&client_secret=" + PotLoginWithSandbox.CLIENT_SECRET;
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(servers.portal.uri().resolve(FaultyPortal.TOKEN_PATH))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("the sandbox did not answer", e);
        }
    }
}
