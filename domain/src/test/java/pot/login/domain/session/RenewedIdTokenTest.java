package pot.login.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.MemorySignedOutSessions;
import pot.login.domain.MovableClock;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/** Review 5: OIDC Core §12.2 for a refresh response's ID token, which no other test exercised. */
@ExtendWith(MockitoExtension.class)
class RenewedIdTokenTest {

    private static final String REFRESH = "__Host-pot-refresh";
    private static final RefreshToken TOKEN = new RefreshToken("refresh-1");
    private static final AccessToken NEW_ACCESS = new AccessToken("access-2");
    private static final IdToken NEW_ID = new IdToken("id-2");

    @Mock
    private TokenRefresh tokenRefresh;
    @Mock
    private TokenVerifier tokenVerifier;
    @Mock
    private IdTokenVerifier idTokenVerifier;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private SessionRenewal renewal;
    private String refreshCookie;

    @BeforeEach
    void signIn() {
        renewal = new SessionRenewal(new RenewalSettings("__Host-pot-session", REFRESH, Duration.ofSeconds(30),
                Duration.ofHours(12)), new RefreshCookieCodec(REFRESH,
                Map.of("k1", Secret.of("k1", "0123456789abcdef0123456789abcdef")), "k1", new SecureRandom()),
                tokenRefresh, tokenVerifier, idTokenVerifier, new MemorySignedOutSessions(clock), clock);
        refreshCookie = renewal.refreshCookieAtSignIn(TOKEN, "user-1").value();
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(TOKEN)).thenReturn(new RefreshResult.Issued(NEW_ACCESS, Duration.ofMinutes(5),
                Optional.empty(), Optional.of(NEW_ID)));
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Verified(
                new VerifiedToken("user-1", clock.instant().plus(Duration.ofMinutes(5)))));
    }

    @Test
    void a_renewed_id_token_that_names_another_user_ends_the_session() {
        when(idTokenVerifier.verify(NEW_ID)).thenReturn(new IdTokenResult.Verified(
                new IdTokenResult.VerifiedIdToken("user-2", Optional.empty(),
                        clock.instant().plus(Duration.ofMinutes(5)))));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Ended.class);
    }

    @Test
    void a_renewed_id_token_the_verifier_refuses_ends_the_session() {
        when(idTokenVerifier.verify(NEW_ID)).thenReturn(new IdTokenResult.Refused(IdTokenCheck.ISSUER));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Ended.class);
    }

    @Test
    void a_renewed_id_token_of_the_same_user_renews() {
        when(idTokenVerifier.verify(NEW_ID)).thenReturn(new IdTokenResult.Verified(
                new IdTokenResult.VerifiedIdToken("user-1", Optional.empty(),
                        clock.instant().plus(Duration.ofMinutes(5)))));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Renewed.class);
    }
}
