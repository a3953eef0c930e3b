package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.in.StartLogin;
import pot.login.domain.port.out.UserProfile;

@MicronautTest
class SessionControllerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Instant EXPIRY = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    @Inject
    EmbeddedServer server;
    @Inject
    TokenGenerator tokenGenerator;
    @Inject
    ShowSignedInUser showSignedInUser;
    @Inject
    SignOut signOut;

    @MockBean(StartLogin.class)
    StartLogin startLogin() {
        return mock(StartLogin.class);
    }

    @MockBean(CompleteLogin.class)
    CompleteLogin completeLogin() {
        return mock(CompleteLogin.class);
    }

    @MockBean(ShowSignedInUser.class)
    ShowSignedInUser showSignedInUser() {
        return mock(ShowSignedInUser.class);
    }

    @Inject
    RenewSession renewSession;

    @MockBean(RenewSession.class)
    RenewSession renewSession() {
        RenewSession renewSession = mock(RenewSession.class);
        when(renewSession.renew(any(), any())).thenReturn(new Renewal.NotNeeded());
        when(renewSession.clearedRefreshCookie()).thenReturn(SessionCookie.cleared("__Host-pot-refresh"));
        when(renewSession.signOut(any())).thenReturn(new RefreshSignOut.NothingToEnd());
        return renewSession;
    }

    @MockBean(SignOut.class)
    SignOut signOut() {
        SignOut signOut = mock(SignOut.class);
        when(signOut.signOut()).thenReturn(SessionCookie.cleared("__Host-pot-session"));
        when(signOut.signOut(any(), any()))
                .thenReturn(new SignOutOutcome.Ended(SessionCookie.cleared("__Host-pot-session")));
        // The controller passes the kept ID token; a sign-out that stays here ignores it, as SignOut's default does.
        when(signOut.signOut(any(), any(), any())).thenCallRealMethod();
        when(signOut.signOut(any(), any(), any(), any())).thenCallRealMethod();
        when(signOut.signOut(any(Optional.class))).thenCallRealMethod();
        return signOut;
    }

    @Test
    void me_shows_the_signed_in_user_and_when_the_session_ends_in_rfc_3339() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY))).thenReturn(new Identity.Known(
                new UserProfile("demo", "Demo", "User", "demo@example.com"), EXPIRY));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + token);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"demo\"", "\"name\":\"Demo User\"",
                "\"sessionEndsAt\":\"" + EXPIRY + "\"");
    }

    @Test
    void me_without_a_session_cookie_is_a_401_not_signed_in_problem() throws Exception {
        HttpResponse<String> response = get("/me", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"not_signed_in\"");
    }

    @Test
    void me_refuses_a_token_for_another_audience_or_issuer_or_past_its_expiry() throws Exception {
        String otherAudience = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "another-client",
                "exp", EXPIRY.getEpochSecond()));
        String otherIssuer = token(Map.of("sub", "demo", "iss", "https://evil.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        String expired = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", Instant.now().minusSeconds(120).getEpochSecond()));

        for (String token : new String[] {otherAudience, otherIssuer, expired, token(Map.of("sub", "demo")) + "x"}) {
            assertThat(get("/me", "__Host-pot-session=" + token).statusCode()).isEqualTo(401);
        }
        verify(showSignedInUser, never()).show(any(), any(), any());
    }

    @Test
    void me_reports_a_failing_portal_as_a_502_with_its_code() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(showSignedInUser.show(any(), any(), any()))
                .thenReturn(new Identity.Unavailable(Rejection.PORTAL_UNAVAILABLE));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + token);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"code\":\"portal_unavailable\"").doesNotContain(token)
                // The session stays: the words of a failed sign-in ("Nobody was signed in") would be wrong here.
                .contains("You are still signed in").doesNotContain("Nobody was signed in");
    }

    private String expiredToken() {
        return token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", Instant.now().minusSeconds(120).getEpochSecond()));
    }

    @Test
    void me_with_an_expired_token_and_a_refresh_cookie_shows_the_renewed_session_and_sets_both_cookies()
            throws Exception {
        when(renewSession.renew(Optional.empty(), Optional.of("sealed-1"))).thenReturn(new Renewal.Renewed(
                new Renewal.Current(new AccessToken("renewed-token"), "demo", EXPIRY),
                new SessionCookie("__Host-pot-session", "renewed-token", Duration.ofMinutes(5)),
                new SessionCookie("__Host-pot-refresh", "sealed-2", Duration.ofHours(12))));
        when(showSignedInUser.show(new AccessToken("renewed-token"), "demo", EXPIRY)).thenReturn(new Identity.Known(
                new UserProfile("demo", "Demo", "User", "demo@example.com"), EXPIRY));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + expiredToken()
                + "; __Host-pot-refresh=sealed-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"demo\"").doesNotContain("renewed-token", "sealed");
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(2);
        assertThat(cookies.get(0)).startsWith("__Host-pot-session=renewed-token;");
        assertThat(LoginControllerTest.attributes(cookies.get(0)))
                .contains("max-age=300", "path=/", "secure", "httponly", "samesite=strict");
        assertThat(cookies.get(1)).startsWith("__Host-pot-refresh=sealed-2;");
        assertThat(LoginControllerTest.attributes(cookies.get(1)))
                .contains("max-age=43200", "path=/", "secure", "httponly", "samesite=strict");
    }

    @Test
    void me_whose_refresh_is_refused_is_a_401_not_signed_in_and_clears_all_three_cookies() throws Exception {
        when(renewSession.renew(any(), any())).thenReturn(new Renewal.Ended(List.of(
                SessionCookie.cleared("__Host-pot-session"), SessionCookie.cleared("__Host-pot-refresh")),
                "the provider refused the refresh token: invalid_grant"));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + expiredToken()
                + "; __Host-pot-refresh=sealed-1");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"not_signed_in\"");
        assertThat(response.headers().allValues("Set-Cookie")).hasSize(3)
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-session=;").contains("Max-Age=0"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-session-id=;").contains("Max-Age=0"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-refresh=;").contains("Max-Age=0"));
        verify(showSignedInUser, never()).show(any(), any(), any());
    }

    @Test
    void me_whose_renewal_meets_a_provider_timeout_is_a_504_and_changes_no_cookie() throws Exception {
        when(renewSession.renew(any(), any()))
                .thenReturn(new Renewal.Unavailable(Rejection.PORTAL_TIMEOUT, "timeout"));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + expiredToken()
                + "; __Host-pot-refresh=sealed-1");

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"code\":\"portal_timeout\"").contains("You are still signed in")
                .doesNotContain("sealed-1");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void me_whose_early_renewal_meets_a_provider_outage_goes_on_with_the_valid_token_and_changes_no_cookie()
            throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(renewSession.renew(any(), any()))
                .thenReturn(new Renewal.Postponed(Rejection.PORTAL_TIMEOUT, "timeout"));
        when(showSignedInUser.show(any(), any(), any())).thenReturn(new Identity.Known(
                new UserProfile("demo", "Demo", "User", "demo@example.com"), EXPIRY));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + token + "; __Host-pot-refresh=sealed-1");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"demo\"");
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
        verify(showSignedInUser).show(new AccessToken(token), "demo", EXPIRY);
    }

    @Test
    void logout_clears_the_refresh_cookie_too() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-refresh=sealed-1")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-refresh=;").contains("Max-Age=0"));
    }

    @Test
    void logout_clears_the_session_cookie_with_the_same_attributes_and_goes_home() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains("/");
        String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("__Host-pot-session=;");
        assertThat(LoginControllerTest.attributes(cookie))
                .contains("max-age=0", "path=/", "secure", "httponly", "samesite=strict");
    }

    @Test
    void logout_with_a_session_ends_that_session_until_its_token_expires_and_clears_the_cookie() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-session=" + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                cookie -> assertThat(cookie).startsWith("__Host-pot-session=;"));
        verify(signOut).signOut(new AccessToken(token), EXPIRY);
    }

    @Test
    void logout_passes_the_kept_id_token_as_the_hint_follows_the_outcome_to_the_provider_and_clears_both_cookies()
            throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        URI endSession = URI.create("https://provider.test/logout?client_id=test-client");
        // doReturn: when(...) would run the real default method while stubbing.
        doReturn(new SignOutOutcome.Ended(SessionCookie.cleared("__Host-pot-session"), endSession))
                .when(signOut).signOut(any(), any(), any(), any());

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-session=" + token + "; __Host-pot-session-id=the.id.token")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        verify(signOut).signOut(new AccessToken(token), EXPIRY, Optional.of(new IdToken("the.id.token")),
                Optional.empty());
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValue(endSession.toString());
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-session=;"))
                .anySatisfy(cookie -> assertThat(cookie.toLowerCase(java.util.Locale.ROOT))
                        .startsWith("__host-pot-session-id=;").contains("httponly", "secure", "path=/", "max-age=0"));
    }

    @Test
    void logout_hands_the_refresh_token_from_the_refresh_cookie_to_the_sign_out_and_clears_that_cookie()
            throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(renewSession.signOut("sealed-refresh")).thenReturn(new RefreshSignOut.Ended(new RefreshToken("the-refresh")));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-session=" + token + "; __Host-pot-refresh=sealed-refresh")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        verify(signOut).signOut(new AccessToken(token), EXPIRY, Optional.empty(),
                Optional.of(new RefreshToken("the-refresh")));
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-refresh=;").contains("Max-Age=0"));
    }

    @Test
    void logout_with_an_expired_access_token_still_hands_over_the_refresh_token_that_could_renew_it()
            throws Exception {
        when(renewSession.signOut("sealed-refresh")).thenReturn(new RefreshSignOut.Ended(new RefreshToken("the-refresh")));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-refresh=sealed-refresh")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        verify(signOut).signOut(Optional.of(new RefreshToken("the-refresh")));
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-session=;"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-refresh=;").contains("Max-Age=0"));
    }

    @Test
    void logout_with_a_refresh_cookie_that_does_not_open_revokes_nothing_and_clears_it() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-refresh=tampered")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        verify(renewSession).signOut("tampered");
        verify(signOut).signOut(Optional.<RefreshToken>empty());
        assertThat(response.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("__Host-pot-refresh=;").contains("Max-Age=0"));
    }

    @Test
    void logout_clears_the_cookie_even_when_the_session_could_not_be_ended_on_the_server() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(signOut.signOut(any(), any())).thenReturn(new SignOutOutcome.CookieClearedOnly(
                SessionCookie.cleared("__Host-pot-session"), "signed-out-session store: down"));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Cookie", "__Host-pot-session=" + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(
                cookie -> assertThat(cookie).startsWith("__Host-pot-session=;"));
    }

    @Test
    void me_with_a_session_that_is_over_is_a_401_not_signed_in_and_clears_the_cookie() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(showSignedInUser.show(any(), any(), any())).thenReturn(new Identity.SessionOver());

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"code\":\"not_signed_in\"");
        assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("__Host-pot-session=;").containsIgnoringCase("max-age=0"));
    }

    @Test
    void me_answers_503_store_unavailable_when_the_sign_out_cannot_be_checked() throws Exception {
        String token = token(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond()));
        when(showSignedInUser.show(any(), any(), any()))
                .thenReturn(new Identity.Unavailable(Rejection.STORE_UNAVAILABLE));

        HttpResponse<String> response = get("/me", "__Host-pot-session=" + token);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"code\":\"store_unavailable\"").doesNotContain(token);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void logout_refuses_a_cross_site_request_and_keeps_the_session() throws Exception {
        for (String[] header : new String[][] {{"Origin", "https://evil.example"}, {"Origin", "null"},
                {"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "same-site"}}) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                    .header(header[0], header[1]).header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            // On localhost Micronaut's own guard against drive-by-localhost requests may answer first, bare; either
            // way the sign-out is refused and no cookie changes. SameOriginTest covers our check on any host.
            assertThat(response.statusCode()).as(header[0] + ": " + header[1]).isEqualTo(403);
            assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
            if (header[0].equals("Sec-Fetch-Site")) {
                assertThat(response.body()).contains("\"code\":\"cross_site_request\"");
            }
        }
    }

    @Test
    void logout_accepts_a_same_origin_request_from_the_sites_own_page() throws Exception {
        // As the browser sends it to the site's public name (java.net.http cannot set Host).
        String response = rawPost("/logout", "Host: app.example", "Origin: " + TestSite.ORIGIN,
                "Sec-Fetch-Site: same-origin");

        assertThat(response).startsWith("HTTP/1.1 303 ").containsIgnoringCase("set-cookie: __Host-pot-session=;");
    }

    @Test
    void logout_refuses_an_origin_that_matches_only_the_host_header() throws Exception {
        String response = rawPost("/logout", "Host: evil.example", "Origin: https://evil.example",
                "X-Forwarded-Host: evil.example", "X-Forwarded-Proto: https", "Forwarded: host=evil.example;proto=https",
                "Accept: application/json");

        assertThat(response).startsWith("HTTP/1.1 403 ").contains("\"code\":\"cross_site_request\"")
                .doesNotContainIgnoringCase("set-cookie");
    }

    @Test
    void logout_accepts_the_form_post_of_a_sign_out_button() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString("")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
    }

    @Test
    void logout_is_post_only() throws Exception {
        assertThat(get("/logout", null).statusCode()).isEqualTo(405);
    }

    /** The whole response to a POST sent byte by byte with exactly these headers. */
    private String rawPost(String path, String... headers) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "POST " + path + " HTTP/1.1\r\n" + String.join("\r\n", headers)
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String token(Map<String, Object> claims) {
        return tokenGenerator.generateToken(claims).orElseThrow();
    }

    private HttpResponse<String> get(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve(path))
                .header("Accept", "application/json").GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
