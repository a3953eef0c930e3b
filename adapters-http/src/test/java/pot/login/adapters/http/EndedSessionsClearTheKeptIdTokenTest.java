package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.StartLogin;

/**
 * Review 5: a session that ends without a sign-out (its refresh refused, or the portal no longer knows its token)
 * takes all of its cookies with it, the kept ID token ({@code __Host-pot-session-id}) included, as sign-out does.
 */
@MicronautTest
class EndedSessionsClearTheKeptIdTokenTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final String ID_TOKEN_COOKIE = "__Host-pot-session-id";

    @Inject
    EmbeddedServer server;
    @Inject
    TokenGenerator tokenGenerator;
    @Inject
    ShowSignedInUser showSignedInUser;
    @Inject
    RenewSession renewSession;

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

    @MockBean(RenewSession.class)
    RenewSession renewSession() {
        RenewSession renewSession = mock(RenewSession.class);
        when(renewSession.clearedRefreshCookie()).thenReturn(SessionCookie.cleared("__Host-pot-refresh"));
        return renewSession;
    }

    @MockBean(SignOut.class)
    SignOut signOut() {
        SignOut signOut = mock(SignOut.class);
        when(signOut.signOut()).thenReturn(SessionCookie.cleared("__Host-pot-session"));
        return signOut;
    }

    @Test
    void a_session_whose_refresh_is_refused_clears_the_kept_id_token_on_me_and_on_the_demo_page() throws Exception {
        when(renewSession.renew(any(), any())).thenReturn(new Renewal.Ended(List.of(
                SessionCookie.cleared("__Host-pot-session"), SessionCookie.cleared("__Host-pot-refresh")),
                "the provider refused the refresh token: invalid_grant"));
        String cookies = "__Host-pot-session=" + token(Instant.now().minusSeconds(120))
                + "; __Host-pot-refresh=sealed-1; " + ID_TOKEN_COOKIE + "=the-kept-id-token";

        for (String path : List.of("/me", "/")) {
            assertThat(get(path, cookies).headers().allValues("Set-Cookie")).as(path).anySatisfy(cookie ->
                    assertThat(cookie).startsWith(ID_TOKEN_COOKIE + "=;").containsIgnoringCase("max-age=0"));
        }
    }

    @Test
    void a_session_the_portal_no_longer_knows_clears_the_kept_id_token_on_me_and_on_the_demo_page() throws Exception {
        when(renewSession.renew(any(), any())).thenReturn(new Renewal.NotNeeded());
        when(showSignedInUser.show(any(), any(), any())).thenReturn(new Identity.SessionOver());
        String cookies = "__Host-pot-session=" + token(Instant.now().plusSeconds(3600)) + "; "
                + ID_TOKEN_COOKIE + "=the-kept-id-token";

        for (String path : List.of("/me", "/")) {
            assertThat(get(path, cookies).headers().allValues("Set-Cookie")).as(path).anySatisfy(cookie ->
                    assertThat(cookie).startsWith(ID_TOKEN_COOKIE + "=;").containsIgnoringCase("max-age=0"));
        }
    }

    private String token(Instant expiry) {
        return tokenGenerator.generateToken(Map.of("sub", "demo", "iss", "https://portal.test", "aud", "test-client",
                "exp", expiry.getEpochSecond())).orElseThrow();
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.getURI().resolve(path)).header("Accept", path.equals("/") ? "text/html" : "application/json")
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
