package pot.login.domain.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.TokenRevocation;

class SignOutAtProviderTest {

    private static final AccessToken TOKEN = new AccessToken("the-token");
    private static final Instant END = Instant.parse("2026-12-01T12:00:00Z");
    private static final SessionCookie CLEARED = SessionCookie.cleared("__Host-pot-session");
    private static final EndSession END_SESSION = new EndSession(URI.create("https://id.example/logout"),
            "our client&id", URI.create("https://app.example/"));

    private static final RefreshToken REFRESH = new RefreshToken("the-refresh-token");
    private static final IdToken ID_TOKEN = new IdToken("the-id-token");
    private static final Instant NOW = END.minus(Duration.ofMinutes(5));
    private static final Duration MAX_LIFETIME = Duration.ofHours(12);

    private final SignOut ours = mock(SignOut.class);
    private final TokenRevocation revocation = mock(TokenRevocation.class);
    private final IdTokenVerifier idTokenVerifier = mock(IdTokenVerifier.class);

    {
        when(idTokenVerifier.verify(ID_TOKEN)).thenReturn(new IdTokenResult.Refused(IdTokenCheck.EXPIRY));
    }

    private SignOutAtProvider signOutAtProvider(Optional<TokenRevocation> revocation,
                                                Optional<EndSession> endSession) {
        return new SignOutAtProvider(ours, revocation, endSession, idTokenVerifier, MAX_LIFETIME,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

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
        SignOut signOut = signOutAtProvider(Optional.of(revocation), Optional.of(END_SESSION));

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
        SignOut signOut = signOutAtProvider(Optional.empty(), Optional.of(END_SESSION));

        signOut.signOut(TOKEN, END, Optional.of(new IdToken("the-id-token")));

        org.mockito.Mockito.verify(ours).signOut(new AccessToken("the-id-token"), END);
    }

    @Test
    void a_revocation_that_throws_does_not_undo_or_fail_the_sign_out() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.CookieClearedOnly(CLEARED, "store down"));
        doThrow(new IllegalStateException("boom")).when(revocation).revoke(TOKEN);
        SignOut signOut = signOutAtProvider(Optional.of(revocation), Optional.empty());

        SignOutOutcome outcome = signOut.signOut(TOKEN, END, Optional.empty());

        assertThat(outcome).isEqualTo(new SignOutOutcome.CookieClearedOnly(CLEARED, "store down"));
        assertThat(outcome.continueAt()).isEqualTo(URI.create("/"));
        assertThat(outcome.clearedIdTokenCookie()).isEqualTo(SessionCookie.cleared("__Host-pot-session-id"));
    }

    @Test
    void with_neither_switched_on_it_is_our_sign_out_alone_and_home() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));

        SignOutOutcome outcome = signOutAtProvider(Optional.empty(), Optional.empty())
                .signOut(TOKEN, END, Optional.of(new IdToken("the-id-token")));

        assertThat(outcome.continueAt()).isEqualTo(URI.create("/"));
        verifyNoInteractions(revocation);
    }

    @Test
    void the_refresh_token_is_revoked_before_the_access_token_and_both_after_our_session_has_ended() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));

        signOutAtProvider(Optional.of(revocation), Optional.empty())
                .signOut(TOKEN, END, Optional.empty(), Optional.of(REFRESH));

        InOrder order = inOrder(ours, revocation);
        order.verify(ours).signOut(TOKEN, END);
        order.verify(revocation).revoke(REFRESH);
        order.verify(revocation).revoke(TOKEN);
        order.verifyNoMoreInteractions();
    }

    @Test
    void a_refresh_token_revocation_that_throws_does_not_stop_the_access_token_revocation() {
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));
        doThrow(new IllegalStateException("boom")).when(revocation).revoke(REFRESH);

        SignOutOutcome outcome = signOutAtProvider(Optional.of(revocation), Optional.empty())
                .signOut(TOKEN, END, Optional.empty(), Optional.of(REFRESH));

        org.mockito.Mockito.verify(revocation).revoke(TOKEN);
        assertThat(outcome).isEqualTo(new SignOutOutcome.Ended(CLEARED));
    }

    @Test
    void without_a_valid_access_token_the_refresh_token_that_could_renew_the_session_is_still_revoked() {
        when(ours.signOut()).thenReturn(CLEARED);

        SessionCookie cleared = signOutAtProvider(Optional.of(revocation), Optional.of(END_SESSION))
                .signOut(Optional.of(REFRESH));

        assertThat(cleared).isEqualTo(CLEARED);
        org.mockito.Mockito.verify(revocation).revoke(REFRESH);
        org.mockito.Mockito.verifyNoMoreInteractions(revocation);
    }

    @Test
    void with_revocation_off_no_token_is_revoked_but_the_cookie_is_still_cleared() {
        when(ours.signOut()).thenReturn(CLEARED);
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));
        SignOut signOut = signOutAtProvider(Optional.empty(), Optional.empty());

        assertThat(signOut.signOut(Optional.of(REFRESH))).isEqualTo(CLEARED);
        signOut.signOut(TOKEN, END, Optional.empty(), Optional.of(REFRESH));

        verifyNoInteractions(revocation);
    }

    @Test
    void an_id_token_hint_that_outlives_the_access_token_is_signed_out_until_its_own_verified_exp() {
        Instant idTokenExpires = END.plus(Duration.ofHours(2));
        when(idTokenVerifier.verify(ID_TOKEN)).thenReturn(new IdTokenResult.Verified(
                new IdTokenResult.VerifiedIdToken("demo", Optional.empty(), idTokenExpires)));
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));

        signOutAtProvider(Optional.empty(), Optional.of(END_SESSION)).signOut(TOKEN, END, Optional.of(ID_TOKEN));

        org.mockito.Mockito.verify(ours).signOut(new AccessToken(ID_TOKEN.value()), idTokenExpires);
    }

    @Test
    void a_hint_whose_exp_cannot_be_verified_for_want_of_keys_is_signed_out_for_the_max_lifetime_only() {
        when(idTokenVerifier.verify(ID_TOKEN)).thenReturn(new IdTokenResult.Unavailable("jwks down"));
        when(ours.signOut(TOKEN, END)).thenReturn(new SignOutOutcome.Ended(CLEARED));

        signOutAtProvider(Optional.empty(), Optional.of(END_SESSION)).signOut(TOKEN, END, Optional.of(ID_TOKEN));

        org.mockito.Mockito.verify(ours).signOut(new AccessToken(ID_TOKEN.value()), NOW.plus(MAX_LIFETIME));
    }
}
