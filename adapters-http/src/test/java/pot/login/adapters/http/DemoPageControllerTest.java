package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.security.token.generator.TokenGenerator;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.AccessToken;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.StartLogin;
import pot.login.domain.port.out.UserProfile;

/** The demo's start page renders each outcome of {@link ShowSignedInUser} as its own page. */
@MicronautTest
class DemoPageControllerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant EXPIRY = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
    private static final String SIGN_IN_LINK = "<a class=\"button\" id=\"sign-in\" href=\"/login\">";

    @Inject
    EmbeddedServer server;
    @Inject
    TokenGenerator tokenGenerator;
    @Inject
    ShowSignedInUser showSignedInUser;

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
        return signOut;
    }

    @Test
    void without_a_session_the_page_offers_sign_in_and_asks_the_portal_nothing() throws Exception {
        HttpResponse<String> page = home(null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains(SIGN_IN_LINK).doesNotContain("Sign out");
        verify(showSignedInUser, never()).show(any(), any(), any());
    }

    @Test
    void a_known_user_sees_their_escaped_name_email_session_end_and_a_sign_out_button() throws Exception {
        String token = sessionToken();
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY))).thenReturn(new Identity.Known(
                new UserProfile("demo", "<Demo>", "User", "demo@example.com"), EXPIRY));

        String body = home(token).body();

        assertThat(body).contains("<strong id=\"user-name\">&lt;Demo&gt; User</strong>")
                .contains("demo@example.com · session ends <time>" + EXPIRY + "</time>")
                .contains("<form method=\"post\" action=\"/logout\">")
                .doesNotContain(SIGN_IN_LINK);
    }

    @Test
    void a_portal_that_cannot_say_who_the_user_is_shows_its_code_and_still_offers_sign_out() throws Exception {
        String token = sessionToken();
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY)))
                .thenReturn(new Identity.Unavailable(Rejection.PORTAL_TIMEOUT));

        String body = home(token).body();

        assertThat(body).contains("cannot tell who you are right now")
                .contains("(<code>portal_timeout</code>)")
                .contains(Html.escape(RejectionResponses.Remedy.TRY_AGAIN_LATER.sentence))
                .contains("<form method=\"post\" action=\"/logout\">")
                .doesNotContain(SIGN_IN_LINK);
    }

    @Test
    void a_portal_answer_that_cannot_be_read_tells_the_user_to_tell_the_operator_not_to_try_again() throws Exception {
        String token = sessionToken();
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY)))
                .thenReturn(new Identity.Unavailable(Rejection.PORTAL_BAD_RESPONSE));

        String body = home(token).body();

        assertThat(body).contains("(<code>portal_bad_response</code>)")
                .contains(Html.escape(RejectionResponses.remedy(Rejection.PORTAL_BAD_RESPONSE).sentence))
                .doesNotContain(Html.escape(RejectionResponses.Remedy.TRY_AGAIN_LATER.sentence));
    }

    /** The same status and code as {@code /me} answers for the same renewal (RejectionResponses.status). */
    @ParameterizedTest(name = "{0} is a {1}")
    @CsvSource({"PORTAL_TIMEOUT, 504", "PORTAL_UNAVAILABLE, 502", "PORTAL_BAD_RESPONSE, 502"})
    void a_renewal_that_meets_a_provider_outage_is_an_error_page_with_the_status_code_and_remedy_of_me_and_no_cookie(
            Rejection reason, int status) throws Exception {
        when(renewSession.renew(any(), any())).thenReturn(new Renewal.Unavailable(reason, "down"));

        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/"))
                .header("Accept", "text/html")
                .header("Cookie", "__Host-pot-refresh=sealed-1").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(status);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("<code>" + reason.code() + "</code>")
                .contains("You are still signed in")
                .contains(Html.escape(RejectionResponses.remedy(reason).sentence))
                .doesNotContain("sealed-1").doesNotContain(SIGN_IN_LINK);
        assertThat(page.headers().allValues("Set-Cookie")).isEmpty();
        verify(showSignedInUser, never()).show(any(), any(), any());
    }

    @Test
    void a_session_that_is_over_is_shown_as_signed_out_and_its_cookie_is_cleared() throws Exception {
        String token = sessionToken();
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY)))
                .thenReturn(new Identity.SessionOver());

        HttpResponse<String> page = home(token);

        assertThat(page.body()).contains(SIGN_IN_LINK).doesNotContain("Sign out").doesNotContain("user-name");
        assertThat(page.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("__Host-pot-session=;").containsIgnoringCase("max-age=0"));
    }

    @Test
    void a_known_user_keeps_the_session_cookie() throws Exception {
        String token = sessionToken();
        when(showSignedInUser.show(eq(new AccessToken(token)), eq("demo"), eq(EXPIRY))).thenReturn(new Identity.Known(
                new UserProfile("demo", "Demo", "User", "demo@example.com"), EXPIRY));

        assertThat(home(token).headers().allValues("Set-Cookie")).isEmpty();
    }

    private String sessionToken() {
        return tokenGenerator.generateToken(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", EXPIRY.getEpochSecond())).orElseThrow();
    }

    private HttpResponse<String> home(String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.getURI().resolve("/")).header("Accept", "text/html");
        if (token != null) {
            request.header("Cookie", "__Host-pot-session=" + token);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
