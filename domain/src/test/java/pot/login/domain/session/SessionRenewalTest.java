package pot.login.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.Renewal.Current;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

@ExtendWith(MockitoExtension.class)
class SessionRenewalTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String REFRESH = "__Host-pot-refresh";
    private static final Instant SIGN_IN = Instant.parse("2026-12-01T08:00:00Z");
    private static final Duration MAX_LIFETIME = Duration.ofHours(12);
    private static final RefreshToken OLD = new RefreshToken("refresh-1");
    private static final RefreshToken ROTATED = new RefreshToken("refresh-2");
    private static final AccessToken OLD_ACCESS = new AccessToken("access-1");
    private static final AccessToken NEW_ACCESS = new AccessToken("access-2");

    @Mock
    private TokenRefresh tokenRefresh;
    @Mock
    private TokenVerifier tokenVerifier;

    private final MovableClock clock = new MovableClock(SIGN_IN);
    private final RefreshCookieCodec codec = new RefreshCookieCodec(REFRESH,
            Map.of("k1", Secret.of("k1", "0123456789abcdef0123456789abcdef")), "k1", new SecureRandom());
    private SessionRenewal renewal;
    private String refreshCookie;

    @BeforeEach
    void signIn() {
        renewal = new SessionRenewal(new RenewalSettings(SESSION, REFRESH, Duration.ofSeconds(30), MAX_LIFETIME),
                codec, tokenRefresh, tokenVerifier, null, new MemorySignedOutSessions(clock), clock);
        refreshCookie = renewal.refreshCookieAtSignIn(OLD, "user-1").value();
    }

    private Current accessExpiringIn(Duration left) {
        return new Current(OLD_ACCESS, "user-1", clock.instant().plus(left));
    }

    private void providerRotates(Duration expiresIn, String subject) {
        when(tokenRefresh.refresh(OLD)).thenReturn(new RefreshResult.Issued(NEW_ACCESS, expiresIn,
                Optional.of(ROTATED), Optional.empty()));
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Verified(
                new VerifiedToken(subject, clock.instant().plus(expiresIn))));
    }

    @Test
    void a_fresh_access_token_is_not_renewed_and_the_provider_is_not_asked() {
        assertThat(renewal.renew(Optional.of(accessExpiringIn(Duration.ofSeconds(31))), Optional.of(refreshCookie)))
                .isEqualTo(new Renewal.NotNeeded());
        verifyNoInteractions(tokenRefresh);
    }

    @Test
    void an_access_token_about_to_expire_is_renewed_and_both_cookies_are_set_anew() {
        clock.advance(Duration.ofMinutes(4));
        providerRotates(Duration.ofMinutes(5), "user-1");

        Renewal result = renewal.renew(Optional.of(accessExpiringIn(Duration.ofSeconds(30))),
                Optional.of(refreshCookie));

        assertThat(result).isInstanceOf(Renewal.Renewed.class);
        Renewal.Renewed renewed = (Renewal.Renewed) result;
        assertThat(renewed.current()).isEqualTo(new Current(NEW_ACCESS, "user-1", clock.instant().plusSeconds(300)));
        assertThat(renewed.session()).isEqualTo(new SessionCookie(SESSION, "access-2", Duration.ofMinutes(5)));
        assertThat(renewed.refreshCookie().name()).isEqualTo(REFRESH);
        assertThat(renewed.refreshCookie().maxAge()).isEqualTo(MAX_LIFETIME.minusMinutes(4));
        assertThat(codec.open(renewed.refreshCookie().value()))
                .as("the rotated refresh token replaces the old one; the sign-in time is kept")
                .hasValueSatisfying(next -> assertThat(next).extracting(RefreshSession::token, RefreshSession::subject,
                        RefreshSession::signedInAt).containsExactly(ROTATED, "user-1", SIGN_IN));
    }

    @Test
    void an_expired_access_token_that_micronaut_security_refused_is_renewed_from_the_refresh_cookie_alone() {
        clock.advance(Duration.ofMinutes(10));
        providerRotates(Duration.ofMinutes(5), "user-1");

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Renewed.class);
    }

    @Test
    void no_renewal_goes_beyond_the_absolute_lifetime_and_the_renewed_cookies_end_with_it() {
        clock.advance(MAX_LIFETIME.minusMinutes(2));
        providerRotates(Duration.ofMinutes(5), "user-1");
        Renewal.Renewed last = (Renewal.Renewed) renewal.renew(Optional.empty(), Optional.of(refreshCookie));
        assertThat(last.session().maxAge()).isEqualTo(Duration.ofMinutes(2));
        assertThat(last.refreshCookie().maxAge()).isEqualTo(Duration.ofMinutes(2));

        clock.advance(Duration.ofMinutes(2));
        assertThat(renewal.renew(Optional.empty(), Optional.of(last.refreshCookie().value())))
                .isEqualTo(new Renewal.Ended(List.of(SessionCookie.cleared(SESSION), SessionCookie.cleared(REFRESH)),
                        "the session's absolute lifetime is over"));
        verify(tokenRefresh, times(1)).refresh(any());
    }

    @Test
    void a_refused_refresh_ends_the_session_and_clears_both_cookies() {
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(OLD)).thenReturn(new RefreshResult.Refused("invalid_grant"));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie)))
                .isEqualTo(new Renewal.Ended(List.of(SessionCookie.cleared(SESSION), SessionCookie.cleared(REFRESH)),
                        "the provider refused the refresh token: invalid_grant"));
    }

    @Test
    void a_failing_provider_changes_no_cookie_and_the_next_request_asks_again() {
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(OLD)).thenReturn(new RefreshResult.Failed(ExchangeFailure.PORTAL_TIMEOUT, "timeout"));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie)))
                .isEqualTo(new Renewal.Unavailable(Rejection.PORTAL_TIMEOUT, "timeout"));
        renewal.renew(Optional.empty(), Optional.of(refreshCookie));
        verify(tokenRefresh, times(2)).refresh(OLD);
    }

    @Test
    void a_renewed_token_that_fails_verification_ends_the_session() {
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(OLD)).thenReturn(new RefreshResult.Issued(NEW_ACCESS, Duration.ofMinutes(5),
                Optional.of(ROTATED), Optional.empty()));
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Refused(TokenCheck.AUDIENCE));

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Ended.class);
    }

    @Test
    void a_renewed_token_for_another_user_ends_the_session() {
        clock.advance(Duration.ofMinutes(10));
        providerRotates(Duration.ofMinutes(5), "someone-else");

        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie))).isInstanceOf(Renewal.Ended.class);
    }

    @Test
    void a_refresh_cookie_that_does_not_open_ends_a_session_whose_access_token_is_gone() {
        assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie + "x")))
                .isInstanceOf(Renewal.Ended.class);
        verifyNoInteractions(tokenRefresh);
    }

    @Test
    void without_a_refresh_cookie_nothing_renews_as_with_the_platform_of_trust_portal() {
        assertThat(renewal.renew(Optional.of(accessExpiringIn(Duration.ofSeconds(5))), Optional.empty()))
                .isEqualTo(new Renewal.NotNeeded());
        verifyNoInteractions(tokenRefresh);
    }

    @Test
    void concurrent_renewals_of_one_session_call_the_provider_once_and_all_get_the_same_cookies() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        CountDownLatch providerCalled = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        when(tokenRefresh.refresh(OLD)).thenAnswer(call -> {
            providerCalled.countDown();
            release.await(5, TimeUnit.SECONDS);
            return new RefreshResult.Issued(NEW_ACCESS, Duration.ofMinutes(5), Optional.of(ROTATED),
                    Optional.empty());
        });
        when(tokenVerifier.verify(NEW_ACCESS)).thenReturn(new VerificationResult.Verified(
                new VerifiedToken("user-1", clock.instant().plusSeconds(300))));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Renewal>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> renewal.renew(Optional.empty(), Optional.of(refreshCookie))));
            }
            assertThat(providerCalled.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
            Renewal first = results.getFirst().get(5, TimeUnit.SECONDS);
            assertThat(first).isInstanceOf(Renewal.Renewed.class);
            for (Future<Renewal> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(renewal.renew(Optional.empty(), Optional.of(refreshCookie)))
                    .as("a request that left the browser before the new cookies arrived").isSameAs(first);
        } finally {
            pool.shutdownNow();
        }
        verify(tokenRefresh, times(1)).refresh(OLD);
    }

    @Test
    void once_the_grace_is_over_the_old_refresh_token_is_presented_again_and_the_provider_decides() {
        clock.advance(Duration.ofMinutes(10));
        providerRotates(Duration.ofMinutes(5), "user-1");
        renewal.renew(Optional.empty(), Optional.of(refreshCookie));

        clock.advance(Duration.ofSeconds(30));
        renewal.renew(Optional.empty(), Optional.of(refreshCookie));

        verify(tokenRefresh, times(2)).refresh(OLD);
    }
}
