package pot.login.domain.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.out.TokenRevocation;

class SignOutAtProviderTest {

    private static final AccessToken TOKEN = new AccessToken("the-token");
    private static final Instant END = Instant.parse("2026-12-01T12:00:00Z");
    private static final SessionCookie CLEARED = SessionCookie.cleared("__Host-pot-session");
    private static final EndSession END_SESSION = new EndSession(URI.create("https://id.example/logout"),
            "our client&id", URI.create("https://app.example/"));

    private final SignOut ours = mock(SignOut.class);
    private final TokenRevocation revocation = mock(TokenRevocation.class);

    @Test
    void the_end_session_url_carries_the_client_id_the_post_logout_uri_and_the_hint_encoded_and_nothing_else() {
        URI uri = END_SESSION.uri(Optional.of(new IdToken("head.body+/=.sig")));

        assertThat(uri.toString()).isEqualTo("https://id.example/logout?client_id=our+client%26id"
                + "&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F&id_token_hint=head.body%2B%2F%3D.sig");
    }

    @Test
    void without_a_kept_id_token_the_url_has_no_hint_and_an_endpoint_query_is_kept() {
        EndSession withQuery = new EndSession(URI.create("https://id.example/logout?realm=a"), "app",
                URI.create("https://app.example/"));

        assertThat(withQuery.uri(Optional.empty()).toString()).isEqualTo("https://id.example/logout?realm=a"
                + "&client_id=app&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F");
    }

    @Test
    void our_session_is_ended_before_the_token_is_revoked_and_the_browser_then_goes_to_the_provider() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));
        SignOut signOut = new SignOutAtProvider(ours, Optional.of(revocation), Optional.of(END_SESSION));

        SignOutOutcome outcome = signOut.signOut(TOKEN, END, Optional.of(new IdToken("the-id-token")));

        InOrder order = inOrder(ours, revocation);
        order.verify(ours).signOut(TOKEN, END);
        order.verify(revocation).revoke(TOKEN);
        assertThat(outcome).isEqualTo(new SignOutOutcome.Ended(CLEARED,
                END_SESSION.uri(Optional.of(new IdToken("the-id-token")))));
    }

    @Test
    void an_id_token_sent_as_the_hint_is_signed_out_as_a_session_before_it_goes_into_the_url() {
        // The review: an ID token issued to us passes the session checks, and the hint puts it in a URL.
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));
        SignOut signOut = new SignOutAtProvider(ours, Optional.empty(), Optional.of(END_SESSION));

        signOut.signOut(TOKEN, END, Optional.of(new IdToken("the-id-token")));

        org.mockito.Mockito.verify(ours).signOut(new AccessToken("the-id-token"), END);
    }

    @Test
    void a_revocation_that_throws_does_not_undo_or_fail_the_sign_out() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.CookieClearedOnly(CLEARED, "store down"));
        doThrow(new IllegalStateException("boom")).when(revocation).revoke(TOKEN);
        SignOut signOut = new SignOutAtProvider(ours, Optional.of(revocation), Optional.empty());

        SignOutOutcome outcome = signOut.signOut(TOKEN, END, Optional.empty());

        assertThat(outcome).isEqualTo(new SignOutOutcome.CookieClearedOnly(CLEARED, "store down"));
        assertThat(outcome.continueAt()).isEqualTo(URI.create("/"));
        assertThat(outcome.clearedIdTokenCookie()).isEqualTo(SessionCookie.cleared("__Host-pot-session-id"));
    }

    @Test
    void with_neither_switched_on_it_is_our_sign_out_alone_and_home() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));

        SignOutOutcome outcome = new SignOutAtProvider(ours, Optional.empty(), Optional.empty())
                .signOut(TOKEN, END, Optional.of(new IdToken("the-id-token")));

        assertThat(outcome.continueAt()).isEqualTo(URI.create("/"));
        verifyNoInteractions(revocation);
    }
}
