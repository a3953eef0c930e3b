package pot.login.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;
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
import pot.login.domain.MemorySignedOutSessions;
import pot.login.domain.MovableClock;
import pot.login.domain.RefreshToken;
import pot.login.domain.Rejection;
import pot.login.domain.Secret;
import pot.login.domain.SessionCookie;
import pot.login.domain.SessionId;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/**
 * Review 5, finding 1: sign-out records the refresh session, and a copy of any of its refresh cookies (taken before or
 * after a rotation) renews nothing afterwards, whatever the provider does with the token.
 */
@ExtendWith(MockitoExtension.class)
class SignedOutRefreshSessionsTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String REFRESH = "__Host-pot-refresh";
    private static final Instant SIGN_IN = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration MAX_LIFETIME = Duration.ofHours(12);
    private static final RefreshToken FIRST = new RefreshToken("refresh-1");
    private static final RefreshToken ROTATED = new RefreshToken("refresh-2");
    private static final AccessToken NEW_ACCESS = new AccessToken("access-2");

    @Mock
    private TokenRefresh tokenRefresh;
    @Mock
    private TokenVerifier tokenVerifier;

    private final MovableClock clock = new MovableClock(SIGN_IN);
    private final MemorySignedOutSessions signedOut = new MemorySignedOutSessions(clock);
    private SessionRenewal renewal;
    private String firstCookie;

    @BeforeEach
    void signIn() {
        renewal = new SessionRenewal(new RenewalSettings(SESSION, REFRESH, Duration.ofSeconds(30), MAX_LIFETIME),
                new RefreshCookieCodec(REFRESH, Map.of("k1", Secret.of("k1", "0123456789abcdef0123456789abcdef")),
                        "k1", new SecureRandom()), tokenRefresh, tokenVerifier, null, signedOut, clock);
        firstCookie = renewal.refreshCookieAtSignIn(FIRST, "user-1").value();
    }

    @Test
    void a_copy_of_a_refresh_cookie_from_before_a_rotation_renews_nothing_after_sign_out() {
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(FIRST)).thenReturn(new RefreshResult.Issued(NEW_ACCESS, Duration.ofMinutes(5),
                Optional.of(ROTATED), Optional.empty()));
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Verified(
                new VerifiedToken("user-1", clock.instant().plus(Duration.ofMinutes(5)))));
        String rotatedCookie = ((Renewal.Renewed) renewal.renew(Optional.empty(), Optional.of(firstCookie)))
                .refreshCookie().value();
        clock.advance(Duration.ofMinutes(10));

        RefreshSignOut signOut = renewal.signOut(rotatedCookie);

        assertThat(signOut).isEqualTo(new RefreshSignOut.Ended(ROTATED));
        assertThat(signedOut.ids()).singleElement().satisfies(id -> {
            assertThat(signedOut.until(id)).as("until the session's absolute end").isEqualTo(SIGN_IN.plus(MAX_LIFETIME));
            assertThat(id).as("a digest, never the token").isNotEqualTo(SessionId.of(new AccessToken("refresh-2")));
        });
        for (String copy : new String[] {firstCookie, rotatedCookie}) {
            assertThat(renewal.renew(Optional.empty(), Optional.of(copy))).isInstanceOfSatisfying(Renewal.Ended.class,
                    ended -> assertThat(ended.cleared()).extracting(SessionCookie::name).contains(SESSION, REFRESH));
        }
    }

    @Test
    void another_session_of_the_same_user_still_renews_after_one_is_signed_out() {
        String otherBrowser = renewal.refreshCookieAtSignIn(new RefreshToken("refresh-other"), "user-1").value();
        renewal.signOut(firstCookie);
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(new RefreshToken("refresh-other"))).thenReturn(new RefreshResult.Issued(NEW_ACCESS,
                Duration.ofMinutes(5), Optional.empty(), Optional.empty()));
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Verified(
                new VerifiedToken("user-1", clock.instant().plus(Duration.ofMinutes(5)))));

        assertThat(renewal.renew(Optional.empty(), Optional.of(otherBrowser))).isInstanceOf(Renewal.Renewed.class);
    }

    @Test
    void a_store_outage_at_the_signed_out_check_renews_nothing_and_asks_no_provider() {
        clock.advance(Duration.ofMinutes(10));
        signedOut.goDown();

        assertThat(renewal.renew(Optional.empty(), Optional.of(firstCookie))).isInstanceOfSatisfying(
                Renewal.Unavailable.class, unavailable -> assertThat(unavailable.reason())
                        .isEqualTo(Rejection.STORE_UNAVAILABLE));
        verifyNoInteractions(tokenRefresh);
    }

    @Test
    void a_sign_out_the_store_cannot_record_still_hands_the_refresh_token_over_for_revocation() {
        signedOut.goDown();

        assertThat(renewal.signOut(firstCookie)).isInstanceOfSatisfying(RefreshSignOut.CookieClearedOnly.class,
                clearedOnly -> assertThat(clearedOnly.toRevoke()).contains(FIRST));
    }

    @Test
    void a_refresh_cookie_that_does_not_open_leaves_nothing_to_end() {
        assertThat(renewal.signOut(firstCookie + "x")).isEqualTo(new RefreshSignOut.NothingToEnd());
        assertThat(signedOut.size()).isZero();
    }
}
