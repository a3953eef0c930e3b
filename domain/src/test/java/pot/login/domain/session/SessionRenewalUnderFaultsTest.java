package pot.login.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
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
import pot.login.domain.Secret;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.Renewal.Current;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenVerifier;

/** Review 5: what a renewal does when the provider, or the code that calls it, misbehaves. */
@ExtendWith(MockitoExtension.class)
class SessionRenewalUnderFaultsTest {

    private static final String SESSION = "__Host-pot-session";
    private static final String REFRESH = "__Host-pot-refresh";
    private static final Instant SIGN_IN = Instant.parse("2026-12-01T08:00:00Z");
    private static final RefreshToken TOKEN = new RefreshToken("refresh-1");

    @Mock
    private TokenRefresh tokenRefresh;
    @Mock
    private TokenVerifier tokenVerifier;

    private final MovableClock clock = new MovableClock(SIGN_IN);
    private SessionRenewal renewal;
    private String refreshCookie;

    @BeforeEach
    void signIn() {
        renewal = new SessionRenewal(new RenewalSettings(SESSION, REFRESH, Duration.ofSeconds(30), Duration.ofHours(12)),
                new RefreshCookieCodec(REFRESH, Map.of("k1", Secret.of("k1", "0123456789abcdef0123456789abcdef")),
                        "k1", new SecureRandom()), tokenRefresh, tokenVerifier, null, new MemorySignedOutSessions(clock),
                clock);
        refreshCookie = renewal.refreshCookieAtSignIn(TOKEN, "user-1").value();
    }

    @Test
    void a_session_whose_access_token_is_still_valid_goes_on_when_the_provider_cannot_renew_it() {
        clock.advance(Duration.ofMinutes(4));
        when(tokenRefresh.refresh(TOKEN)).thenReturn(
                new RefreshResult.Failed(ExchangeFailure.PORTAL_TIMEOUT, "timeout"));
        Current stillValid = new Current(new AccessToken("access-1"), "user-1", clock.instant().plusSeconds(20));

        assertThat(renewal.renew(Optional.of(stillValid), Optional.of(refreshCookie)))
                .isInstanceOf(Renewal.Postponed.class);
    }

    @Test
    void a_renewal_that_fails_with_an_error_leaves_no_later_request_of_that_session_waiting() throws Exception {
        clock.advance(Duration.ofMinutes(10));
        when(tokenRefresh.refresh(TOKEN)).thenThrow(new NoClassDefFoundError("a class the adapter needs"))
                .thenReturn(new RefreshResult.Failed(ExchangeFailure.PORTAL_UNAVAILABLE, "down"));
        try {
            renewal.renew(Optional.empty(), Optional.of(refreshCookie));
        } catch (NoClassDefFoundError thrownToThisRequest) {
            // This request may fail; the point is the next one.
        }

        ExecutorService next = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "the next request");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<Renewal> answer = next.submit(() -> renewal.renew(Optional.empty(), Optional.of(refreshCookie)));
            assertThat(answer.get(5, TimeUnit.SECONDS)).isInstanceOf(Renewal.Unavailable.class);
        } finally {
            next.shutdownNow();
        }
    }
}
