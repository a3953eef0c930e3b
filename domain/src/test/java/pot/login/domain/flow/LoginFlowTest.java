package pot.login.domain.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserLookup;
import pot.login.domain.port.out.UserProfile;
import pot.login.domain.port.out.VerifiedToken;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

@ExtendWith(MockitoExtension.class)
class LoginFlowTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final LoginSettings SETTINGS = new LoginSettings(URI.create("https://portal.test/"), "client-1",
            URI.create("https://app.test/login/complete"), "__Host-pot-session");
    static final StateSigner STATES = new StateSigner(new StateKeys(List.of(new StateKey("k1",
            Secret.of("k1", "state-key-one-0123456789abcdef0123456789")))), Duration.ofMinutes(10),
            Duration.ofSeconds(30));

    @Mock
    TokenExchange tokenExchange;
    @Mock
    TokenVerifier tokenVerifier;
    @Mock
    UserDirectory userDirectory;

    MutableClock clock;
    LoginFlow flow;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(NOW);
        flow = new LoginFlow(SETTINGS, STATES, tokenExchange, tokenVerifier, userDirectory, clock, new SecureRandom());
    }

    @Test
    void start_sends_the_browser_to_the_portal_with_the_four_parameters_of_the_seed() {
        LoginStarted started = flow.start("/reports");

        assertThat(started.portalUri().toString()).startsWith("https://portal.test/?");
        assertThat(query(started.portalUri())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "response_type", "code",
                "client_id", "client-1",
                "redirect_uri", "https://app.test/login/complete",
                "state", started.state()));
    }

    @Test
    void start_signs_a_fresh_state_that_carries_the_return_path() {
        LoginStarted first = flow.start("/reports");
        LoginStarted second = flow.start("/reports");

        assertThat(first.state()).isNotEqualTo(second.state());
        StateCheck check = STATES.verify(first.state(), NOW);
        assertThat(check).isInstanceOfSatisfying(StateCheck.Valid.class, valid -> {
            assertThat(valid.claims().returnTo()).isEqualTo(new ReturnPath("/reports"));
            assertThat(valid.claims().issuedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void start_replaces_a_foreign_return_address_by_home() {
        StateCheck check = STATES.verify(flow.start("https://evil.example/").state(), NOW);

        assertThat(((StateCheck.Valid) check).claims().returnTo()).isEqualTo(ReturnPath.HOME);
    }

    @Test
    void complete_exchanges_the_code_and_sets_a_session_that_lives_as_long_as_the_token() {
        String state = flow.start("/reports").state();
        issues("the-token", Duration.ofHours(24), NOW.plus(Duration.ofHours(24)));

        LoginOutcome outcome = flow.complete(Callback.success("the-code", state));

        verify(tokenExchange).exchange(new AuthorizationCode("the-code"));
        assertThat(outcome).isEqualTo(new LoginOutcome.Completed(
                new SessionCookie("__Host-pot-session", "the-token", Duration.ofHours(24)),
                new ReturnPath("/reports"), "demo"));
    }

    @Test
    void complete_never_lets_the_cookie_outlive_the_tokens_own_expiry() {
        String state = flow.start("/").state();
        issues("the-token", Duration.ofHours(24), NOW.plus(Duration.ofMinutes(5)));

        LoginOutcome outcome = flow.complete(Callback.success("the-code", state));

        assertThat(((LoginOutcome.Completed) outcome).session().maxAge()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void complete_refuses_a_forged_state_without_calling_the_portal() {
        LoginOutcome outcome = flow.complete(Callback.success("the-code", "k1.AAAA.AAAA"));

        assertThat(outcome).isEqualTo(new LoginOutcome.Rejected(Rejection.STATE_INVALID, "state refused"));
        verifyNoInteractions(tokenExchange, tokenVerifier);
    }

    @Test
    void complete_refuses_a_missing_state_without_calling_the_portal() {
        assertThat(flow.complete(Callback.success("the-code", null)))
                .isEqualTo(new LoginOutcome.Rejected(Rejection.STATE_INVALID, "state refused"));
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void complete_refuses_an_expired_state_without_calling_the_portal() {
        String state = flow.start("/").state();
        clock.advance(Duration.ofMinutes(11));

        assertThat(flow.complete(Callback.success("the-code", state)))
                .isEqualTo(new LoginOutcome.Rejected(Rejection.STATE_EXPIRED, "state refused"));
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void a_cancelled_login_is_reported_as_cancelled_once_its_state_is_valid() {
        String state = flow.start("/").state();

        assertThat(flow.complete(Callback.failure("access_denied", state)))
                .extracting(outcome -> ((LoginOutcome.Rejected) outcome).reason()).isEqualTo(Rejection.LOGIN_CANCELLED);
        assertThat(flow.complete(Callback.failure("server_error", state)))
                .extracting(outcome -> ((LoginOutcome.Rejected) outcome).reason()).isEqualTo(Rejection.LOGIN_FAILED);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void an_error_callback_with_a_bad_state_is_refused_for_its_state() {
        assertThat(flow.complete(Callback.failure("access_denied", "forged")))
                .isEqualTo(new LoginOutcome.Rejected(Rejection.STATE_INVALID, "state refused"));
    }

    @Test
    void a_callback_without_a_usable_code_is_refused_without_calling_the_portal() {
        String state = flow.start("/").state();

        for (String code : Arrays.asList(null, "", "  ", "x".repeat(AuthorizationCode.MAX_LENGTH + 1))) {
            assertThat(flow.complete(Callback.success(code, state)))
                    .extracting(outcome -> ((LoginOutcome.Rejected) outcome).reason())
                    .isEqualTo(Rejection.CODE_MISSING);
        }
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void a_failed_exchange_is_refused_with_the_portals_reason_and_no_session() {
        String state = flow.start("/").state();
        when(tokenExchange.exchange(any())).thenReturn(
                new ExchangeResult.Failed(Rejection.CODE_REJECTED, "invalid_grant"));

        assertThat(flow.complete(Callback.success("the-code", state)))
                .isEqualTo(new LoginOutcome.Rejected(Rejection.CODE_REJECTED, "invalid_grant"));
        verifyNoInteractions(tokenVerifier);
    }

    @Test
    void a_token_that_fails_verification_signs_nobody_in() {
        String state = flow.start("/").state();
        when(tokenExchange.exchange(any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("forged-token", Duration.ofHours(1))));
        when(tokenVerifier.verify("forged-token")).thenReturn(Optional.empty());

        assertThat(flow.complete(Callback.success("the-code", state)))
                .extracting(outcome -> ((LoginOutcome.Rejected) outcome).reason())
                .isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    @Test
    void a_token_that_is_already_expired_signs_nobody_in() {
        String state = flow.start("/").state();
        issues("old-token", Duration.ofHours(1), NOW.minusSeconds(1));

        assertThat(flow.complete(Callback.success("the-code", state)))
                .extracting(outcome -> ((LoginOutcome.Rejected) outcome).reason())
                .isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    @Test
    void show_tells_who_is_signed_in_or_that_the_session_is_over() {
        Instant end = NOW.plusSeconds(60);
        UserProfile demo = new UserProfile("demo", "Demo", "User", "demo@example.com");
        when(userDirectory.lookUp("t1")).thenReturn(new UserLookup.Found(demo));
        when(userDirectory.lookUp("t2")).thenReturn(new UserLookup.TokenRefused());
        when(userDirectory.lookUp("t3")).thenReturn(new UserLookup.Failed(Rejection.PORTAL_TIMEOUT, "slow"));

        assertThat(flow.show("t1", end)).isEqualTo(new Identity.Known(demo, end));
        assertThat(flow.show("t2", end)).isEqualTo(new Identity.SessionOver());
        assertThat(flow.show("t3", end)).isEqualTo(new Identity.Unavailable(Rejection.PORTAL_TIMEOUT));
    }

    @Test
    void sign_out_expires_the_session_cookie_by_its_own_name() {
        assertThat(flow.signOut()).isEqualTo(new SessionCookie("__Host-pot-session", "", Duration.ZERO));
        verify(tokenExchange, never()).exchange(any());
    }

    @Test
    void nothing_secret_is_printed_by_the_values_that_carry_it() {
        assertThat(new AuthorizationCode("the-code").toString()).doesNotContain("the-code");
        assertThat(new AccessToken("the-token", Duration.ofHours(1)).toString()).doesNotContain("the-token");
        assertThat(new SessionCookie("n", "the-token", Duration.ofHours(1)).toString()).doesNotContain("the-token");
        assertThat(Callback.success("the-code", "the-state").toString()).doesNotContain("the-code", "the-state");
        assertThat(Secret.of("client-secret", "s3cr3t").toString()).doesNotContain("s3cr3t");
    }

    private void issues(String token, Duration expiresIn, Instant expiresAt) {
        when(tokenExchange.exchange(any())).thenReturn(new ExchangeResult.Issued(new AccessToken(token, expiresIn)));
        when(tokenVerifier.verify(token)).thenReturn(Optional.of(new VerifiedToken("demo", expiresAt)));
    }

    private static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
