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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
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
import pot.login.domain.CodeVerifier;
import pot.login.domain.FlowCookie;
import pot.login.domain.IdToken;
import pot.login.domain.MovableClock;
import pot.login.domain.Rejection;
import pot.login.domain.RefreshToken;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.SessionCookie;
import pot.login.domain.SessionId;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.ExchangeResult;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserProfile;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;
import pot.login.domain.session.RefreshCookieCodec;
import pot.login.domain.session.RefreshSession;
import pot.login.domain.session.RenewalSettings;
import pot.login.domain.session.SessionRenewal;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

@ExtendWith(MockitoExtension.class)
class LoginFlowTest {

    static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    static final String ISSUER = "https://portal.test";
    static final LoginSettings SETTINGS = new LoginSettings(URI.create("https://portal.test/"), "client-1",
            URI.create("https://app.test/login/complete"), "__Host-pot-session", ISSUER, false, true, 3);
    static final StateSigner STATES = new StateSigner(new StateKeys(List.of(new StateKey("k1",
            Secret.of("k1", "state-key-one-0123456789abcdef0123456789")))), Duration.ofMinutes(10),
            Duration.ofSeconds(30));

    @Mock
    TokenExchange tokenExchange;
    @Mock
    TokenVerifier tokenVerifier;
    @Mock
    IdTokenVerifier idTokenVerifier;
    @Mock
    UserDirectory userDirectory;
    @Mock
    UsedStates usedStates;
    @Mock
    SignedOutSessions signedOutSessions;

    MovableClock clock;
    LoginFlow flow;

    @BeforeEach
    void setUp() {
        clock = new MovableClock(NOW);
        flow = flowWith(SETTINGS);
        org.mockito.Mockito.lenient().when(usedStates.markUsed(any(), any())).thenReturn(new MarkResult.Marked());
        org.mockito.Mockito.lenient().when(signedOutSessions.check(any())).thenReturn(new SignOutCheck.NotSignedOut());
    }

    LoginFlow flowWith(LoginSettings settings) {
        return new LoginFlow(settings, STATES, usedStates, tokenExchange, tokenVerifier, userDirectory, signedOutSessions, clock,
                new SecureRandom());
    }

    static final LoginSettings OPENID_SETTINGS = new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(),
            SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3,
            Map.of(LoginSettings.SCOPE, "profile openid"));

    LoginFlow openIdFlow() {
        return new LoginFlow(OPENID_SETTINGS, STATES, usedStates, tokenExchange, tokenVerifier, idTokenVerifier,
                userDirectory, signedOutSessions, clock, new SecureRandom());
    }

    /** A login started in this test's browser: its state and the flow cookie the browser got for it. */
    record Started(LoginStarted started, String state, Map<String, String> browser) {
        /** The flow secret, as only the browser's flow cookie holds it. */
        FlowSecret secret() {
            String value = started.flowCookie().value();
            return FlowSecret.decode(value.substring(value.indexOf('.') + 1)).orElseThrow();
        }

        /** The PKCE verifier, as only the browser's flow cookie yields it. */
        CodeVerifier codeVerifier() {
            String value = started.flowCookie().value();
            return FlowSecret.decode(value.substring(value.indexOf('.') + 1)).orElseThrow().codeVerifier();
        }

        Callback success(String code) {
            return new Callback(code, state, null, ISSUER, browser);
        }

        Callback failure(String error) {
            return new Callback(null, state, error, ISSUER, browser);
        }
    }

    Started start(String returnTo) {
        return start(flow, returnTo);
    }

    static Started start(LoginFlow flow, String returnTo) {
        LoginStarted started = flow.start(returnTo, Map.of());
        String state = query(started.portalUri()).get("state");
        return new Started(started, state, Map.of(started.flowCookie().name(), started.flowCookie().value()));
    }

    @Test
    void start_sends_the_browser_to_the_portal_with_the_parameters_of_the_seed_and_a_pkce_challenge() {
        Started login = start("/reports");

        Map<String, String> query = query(login.started().portalUri());
        assertThat(login.started().portalUri().toString()).startsWith("https://portal.test/?");
        assertThat(query).containsOnlyKeys("response_type", "client_id", "redirect_uri", "state", "code_challenge",
                "code_challenge_method");
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", "client-1")
                .containsEntry("redirect_uri", "https://app.test/login/complete")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("code_challenge", LoginFlow.codeChallenge(login.codeVerifier()));
    }

    @Test
    void start_keeps_a_query_that_the_portal_authorize_url_already_has() {
        flow = flowWith(new LoginSettings(URI.create("https://portal.test/authorize?tenant=acme"), SETTINGS.clientId(),
                SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3));

        URI portal = start("/").started().portalUri();

        assertThat(portal.toString()).startsWith("https://portal.test/authorize?tenant=acme&response_type=code&");
        assertThat(query(portal)).containsEntry("tenant", "acme").containsEntry("client_id", "client-1");
    }

    @Test
    void the_pkce_verifier_never_appears_in_the_authorize_url() {
        Started login = start("/");

        assertThat(login.started().portalUri().toString()).doesNotContain(login.codeVerifier().value());
        assertThat(login.browser().values()).noneMatch(value -> value.contains(login.codeVerifier().value()));
    }

    @Test
    void with_pkce_switched_off_neither_challenge_nor_verifier_is_sent() {
        flow = flowWith(new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(), SETTINGS.redirectUri(),
                SETTINGS.sessionCookieName(), ISSUER, false, false, 3));
        Started login = start("/");
        issues("the-token", Duration.ofHours(1), NOW.plus(Duration.ofHours(1)));

        assertThat(query(login.started().portalUri())).doesNotContainKeys("code_challenge", "code_challenge_method");
        flow.complete(login.success("the-code"));
        verify(tokenExchange).exchange(new AuthorizationCode("the-code"), Optional.empty());
    }

    @Test
    void start_adds_the_extra_parameters_a_portal_wants_but_never_lets_them_replace_the_standard_ones() {
        Map<String, String> platformOfTrust = new LinkedHashMap<>();
        platformOfTrust.put("grant_type", "authorization");
        platformOfTrust.put("cancel_url", "https://app.test/login/cancelled");
        flow = flowWith(new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(), SETTINGS.redirectUri(),
                SETTINGS.sessionCookieName(), ISSUER, false, true, 3, platformOfTrust));

        assertThat(query(start("/").started().portalUri())).containsEntry("grant_type", "authorization")
                .containsEntry("cancel_url", "https://app.test/login/cancelled").containsEntry("response_type", "code");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginSettings(SETTINGS.authorizeUri(),
                        SETTINGS.clientId(), SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3,
                        Map.of("state", "attacker-chosen")))
                .hasMessageContaining("'state' is set by the flow itself");
    }

    @Test
    void start_signs_a_fresh_state_that_carries_the_return_path() {
        Started first = start("/reports");
        Started second = start("/reports");

        assertThat(first.state()).isNotEqualTo(second.state());
        StateCheck check = STATES.verify(first.state(), NOW);
        assertThat(check).isInstanceOfSatisfying(StateCheck.Valid.class, valid -> {
            assertThat(valid.claims().returnTo()).isEqualTo(new ReturnPath("/reports"));
            assertThat(valid.claims().issuedAt()).isEqualTo(NOW);
        });
    }

    @Test
    void start_replaces_a_foreign_return_address_by_home() {
        StateCheck check = STATES.verify(start("https://evil.example/").state(), NOW);

        assertThat(((StateCheck.Valid) check).claims().returnTo()).isEqualTo(ReturnPath.HOME);
    }

    @Test
    void start_sets_a_host_only_lax_flow_cookie_that_lives_as_long_as_the_state() {
        FlowCookie cookie = start("/").started().flowCookie();

        assertThat(cookie.name()).startsWith("__Host-pot-flow-").hasSize("__Host-pot-flow-".length() + 8);
        assertThat(cookie.maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(FlowCookie.SAME_SITE).isEqualTo("Lax");
        assertThat(FlowCookie.HTTP_ONLY && FlowCookie.SECURE).isTrue();
        assertThat(cookie.name().length() + cookie.value().length()).isLessThan(100);
        assertThat(cookie.toString()).doesNotContain(cookie.value());
    }

    @Test
    void start_keeps_at_most_the_configured_number_of_logins_per_browser_dropping_the_oldest() {
        Map<String, String> browser = new LinkedHashMap<>();
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            LoginStarted started = flow.start("/", browser);
            started.expiredFlows().forEach(expired -> browser.remove(expired.name()));
            browser.put(started.flowCookie().name(), started.flowCookie().value());
            names.add(started.flowCookie().name());
            clock.advance(Duration.ofSeconds(1));
        }
        browser.put("__Host-pot-flow-garbage0", "not-a-flow-value");
        browser.put("__Host-pot-flow-tooLongToBeOurs", "1.x");

        LoginStarted fourth = flow.start("/", browser);

        assertThat(fourth.expiredFlows()).extracting(FlowCookie::name)
                .containsExactlyInAnyOrder(names.get(0), "__Host-pot-flow-garbage0");
        assertThat(fourth.expiredFlows()).allMatch(expired -> expired.maxAge().isZero() && expired.value().isEmpty());
    }

    @Test
    void complete_exchanges_the_code_with_the_pkce_verifier_and_sets_a_session_as_long_as_the_token() {
        Started login = start("/reports");
        issues("the-token", Duration.ofHours(24), NOW.plus(Duration.ofHours(24)));

        LoginOutcome outcome = flow.complete(login.success("the-code"));

        verify(tokenExchange).exchange(new AuthorizationCode("the-code"),
                Optional.of(login.codeVerifier()));
        assertThat(outcome).isInstanceOfSatisfying(LoginOutcome.Completed.class, completed -> {
            assertThat(completed.session()).isEqualTo(
                    new SessionCookie("__Host-pot-session", "the-token", Duration.ofHours(24)));
            assertThat(completed.landing()).isEqualTo(new ReturnPath("/reports"));
            assertThat(completed.subject()).isEqualTo("demo");
            assertThat(completed.spentFlows()).containsExactly(login.started().flowCookie().cleared());
        });
    }

    @Test
    void a_sign_in_whose_token_response_has_a_refresh_token_sets_it_sealed_in_the_refresh_cookie() {
        RefreshCookieCodec codec = new RefreshCookieCodec("__Host-pot-refresh",
                Map.of("k1", pot.login.domain.Secret.of("k1", "0123456789abcdef0123456789abcdef")), "k1",
                new SecureRandom());
        SessionRenewal renewal = new SessionRenewal(new RenewalSettings("__Host-pot-session", "__Host-pot-refresh",
                Duration.ofSeconds(30), Duration.ofHours(12)), codec, token -> null, tokenVerifier, null, signedOutSessions,
                clock);
        LoginFlow renewing = new LoginFlow(SETTINGS, STATES, usedStates, tokenExchange, tokenVerifier, null,
                userDirectory, signedOutSessions, renewal, clock, new SecureRandom());
        Started login = start(renewing, "/");
        when(tokenExchange.exchange(any(), any())).thenReturn(new ExchangeResult.Issued(new AccessToken("the-token"),
                Duration.ofMinutes(5), Optional.empty(), Optional.of(new RefreshToken("the-refresh-token"))));
        when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Verified(new VerifiedToken("demo", NOW.plus(Duration.ofMinutes(5)))));

        LoginOutcome.Completed completed = (LoginOutcome.Completed) renewing.complete(login.success("the-code"));

        assertThat(completed.refreshCookie()).hasValueSatisfying(cookie -> {
            assertThat(cookie.name()).isEqualTo("__Host-pot-refresh");
            assertThat(cookie.maxAge()).isEqualTo(Duration.ofHours(12));
            assertThat(cookie.value()).doesNotContain("the-refresh-token");
            assertThat(codec.open(cookie.value())).hasValueSatisfying(sealed -> assertThat(sealed)
                    .extracting(RefreshSession::token, RefreshSession::subject, RefreshSession::signedInAt)
                    .containsExactly(new RefreshToken("the-refresh-token"), "demo", NOW));
        });
    }

    @Test
    void under_openid_connect_a_renewing_session_keeps_its_id_token_for_sign_out_as_long_as_the_refresh_cookie() {
        RefreshCookieCodec codec = new RefreshCookieCodec("__Host-pot-refresh",
                Map.of("k1", pot.login.domain.Secret.of("k1", "0123456789abcdef0123456789abcdef")), "k1",
                new SecureRandom());
        SessionRenewal renewal = new SessionRenewal(new RenewalSettings("__Host-pot-session", "__Host-pot-refresh",
                Duration.ofSeconds(30), Duration.ofHours(12)), codec, token -> null, tokenVerifier, null, signedOutSessions,
                clock);
        LoginFlow renewing = new LoginFlow(OPENID_SETTINGS, STATES, usedStates, tokenExchange, tokenVerifier,
                idTokenVerifier, userDirectory, signedOutSessions, renewal, clock, new SecureRandom());
        Started login = start(renewing, "/");
        when(tokenExchange.exchange(any(), any())).thenReturn(new ExchangeResult.Issued(new AccessToken("the-token"),
                Duration.ofMinutes(5), Optional.of(new IdToken("the-id-token")),
                Optional.of(new RefreshToken("the-refresh-token"))));
        when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Verified(new VerifiedToken("demo", NOW.plus(Duration.ofMinutes(5)))));
        when(idTokenVerifier.verify(new IdToken("the-id-token"))).thenReturn(verifiedIdToken("demo",
                login.secret().nonce()));

        LoginOutcome.Completed completed = (LoginOutcome.Completed) renewing.complete(login.success("the-code"));

        assertThat(completed.refreshCookie()).isPresent();
        assertThat(completed.idTokenCookie()).hasValueSatisfying(kept -> assertThat(kept.maxAge())
                .isGreaterThanOrEqualTo(completed.refreshCookie().get().maxAge()));
    }

    @Test
    void a_sign_in_without_a_refresh_token_sets_no_refresh_cookie() {
        Started login = start("/");
        issues("the-token", Duration.ofHours(24), NOW.plus(Duration.ofHours(24)));

        assertThat(((LoginOutcome.Completed) flow.complete(login.success("the-code"))).refreshCookie()).isEmpty();
    }

    @Test
    void complete_never_lets_the_cookie_outlive_the_tokens_own_expiry() {
        Started login = start("/");
        issues("the-token", Duration.ofHours(24), NOW.plus(Duration.ofMinutes(5)));

        LoginOutcome outcome = flow.complete(login.success("the-code"));

        assertThat(((LoginOutcome.Completed) outcome).session().maxAge()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void complete_refuses_a_forged_state_without_calling_the_portal() {
        assertThat(reason(flow.complete(new Callback("the-code", "k1.AAAA.AAAA", null, ISSUER, Map.of()))))
                .isEqualTo(Rejection.STATE_INVALID);
        verifyNoInteractions(tokenExchange, tokenVerifier, usedStates);
    }

    @Test
    void complete_refuses_a_missing_state_without_calling_the_portal() {
        assertThat(reason(flow.complete(new Callback("the-code", null, null, ISSUER, Map.of()))))
                .isEqualTo(Rejection.STATE_INVALID);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void complete_refuses_an_expired_state_without_calling_the_portal() {
        Started login = start("/");
        clock.advance(Duration.ofMinutes(11));

        assertThat(reason(flow.complete(login.success("the-code")))).isEqualTo(Rejection.STATE_EXPIRED);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void complete_refuses_a_valid_state_arriving_in_a_browser_that_did_not_start_it() {
        Started attackersLogin = start("/");
        Callback inVictimsBrowser = new Callback("attackers-code", attackersLogin.state(), null, ISSUER, Map.of());

        assertThat(reason(flow.complete(inVictimsBrowser))).isEqualTo(Rejection.STATE_NOT_BOUND);
        verifyNoInteractions(tokenExchange, usedStates);
    }

    /**
     * RFC 9700 attacker A3 reads the victim's authorization response: the authorize URL and the callback, unused. From
     * their own client they build every flow cookie that can be computed from what the URLs show; none binds.
     */
    @Test
    void a_leaked_callback_url_signs_nobody_in_from_another_browser_whatever_cookie_it_builds_from_the_url() {
        Started victims = start("/");
        URI leakedAuthorizeUrl = victims.started().portalUri();
        String state = query(leakedAuthorizeUrl).get("state");
        String challenge = query(leakedAuthorizeUrl).get("code_challenge");
        byte[] payload = java.util.Base64.getUrlDecoder().decode(state.split("\\.")[1]);
        byte[] nonce = Arrays.copyOfRange(payload, 9, 25);
        byte[] binding = Arrays.copyOfRange(payload, 25, 57);
        String name = FlowCookie.PREFIX + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(nonce, 6));
        long issuedAt = java.nio.ByteBuffer.wrap(payload, 1, 8).getLong();
        var b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        List<String> guesses = List.of(
                issuedAt + "." + b64.encodeToString(nonce),
                issuedAt + "." + b64.encodeToString(binding),
                issuedAt + "." + challenge,
                issuedAt + "." + b64.encodeToString(Arrays.copyOf(payload, 32)),
                issuedAt + "." + state,
                state);
        assertThat(name).isEqualTo(victims.started().flowCookie().name());

        for (String guess : guesses) {
            assertThat(reason(flow.complete(new Callback("victims-code", state, null, ISSUER, Map.of(name, guess)))))
                    .as("flow cookie built from the URL: %s", guess).isEqualTo(Rejection.STATE_NOT_BOUND);
        }
        verifyNoInteractions(tokenExchange, usedStates);
        assertThat(leakedAuthorizeUrl.toString()).doesNotContain(victims.codeVerifier().value())
                .doesNotContain(victims.started().flowCookie().value().split("\\.")[1]);

        issues("the-token", Duration.ofHours(1), NOW.plus(Duration.ofHours(1)));
        assertThat(flow.complete(victims.success("victims-code"))).isInstanceOf(LoginOutcome.Completed.class);
    }

    /** The code alone, injected into the attacker's own login, is exchanged with the attacker's verifier. */
    @Test
    void a_code_injected_into_another_login_is_exchanged_with_that_logins_verifier_so_pkce_refuses_it() {
        Started victims = start("/");
        Started attackers = start("/");
        when(tokenExchange.exchange(any(), any()))
                .thenReturn(new ExchangeResult.Failed(ExchangeFailure.CODE_REJECTED, "invalid_grant"));

        LoginOutcome outcome = flow.complete(attackers.success("victims-code"));

        verify(tokenExchange).exchange(new AuthorizationCode("victims-code"), Optional.of(attackers.codeVerifier()));
        assertThat(attackers.codeVerifier()).isNotEqualTo(victims.codeVerifier());
        assertThat(reason(outcome)).isEqualTo(Rejection.CODE_REJECTED);
    }

    @Test
    void the_pkce_verifier_comes_from_the_browsers_secret_and_not_from_the_state() {
        Started login = start("/");
        String challenge = query(login.started().portalUri()).get("code_challenge");

        assertThat(LoginFlow.codeChallenge(login.codeVerifier())).isEqualTo(challenge);
        assertThat(login.codeVerifier().value()).matches("[A-Za-z0-9_-]{43}");
        // Another secret with the same state: not bound, so its verifier is never used.
        String otherSecret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        String name = login.started().flowCookie().name();
        String issued = login.started().flowCookie().value().split("\\.")[0];
        assertThat(reason(flow.complete(new Callback("c", login.state(), null, ISSUER,
                Map.of(name, issued + "." + otherSecret))))).isEqualTo(Rejection.STATE_NOT_BOUND);
    }

    @Test
    void complete_refuses_a_state_whose_flow_cookie_belongs_to_another_login() {
        Started first = start("/");
        Started second = start("/");
        Map<String, String> swapped = Map.of(first.started().flowCookie().name(), second.started().flowCookie().value());

        assertThat(reason(flow.complete(new Callback("c", first.state(), null, ISSUER, swapped))))
                .isEqualTo(Rejection.STATE_NOT_BOUND);
    }

    @Test
    void complete_accepts_a_state_once_and_refuses_its_replay_without_calling_the_portal_again() {
        Started login = start("/");
        issues("the-token", Duration.ofHours(1), NOW.plus(Duration.ofHours(1)));
        when(usedStates.markUsed(any(), any())).thenReturn(new MarkResult.Marked(), new MarkResult.AlreadyUsed());

        assertThat(flow.complete(login.success("the-code"))).isInstanceOf(LoginOutcome.Completed.class);
        assertThat(reason(flow.complete(login.success("the-code")))).isEqualTo(Rejection.STATE_REPLAYED);
        verify(tokenExchange, org.mockito.Mockito.times(1)).exchange(any(), any());
        verify(usedStates, org.mockito.Mockito.times(2)).markUsed(
                ((StateCheck.Valid) STATES.verify(login.state(), NOW)).claims().nonceHex(), NOW.plus(Duration.ofMinutes(10)));
    }

    @Test
    void complete_refuses_a_callback_from_another_issuer_before_calling_the_portal() {
        Started login = start("/");

        assertThat(reason(flow.complete(new Callback("c", login.state(), null, "https://evil.example",
                login.browser())))).isEqualTo(Rejection.ISSUER_MISMATCH);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void complete_refuses_a_callback_whose_iss_merely_starts_or_ends_with_ours_or_differs_only_in_case() {
        // RFC 9207 §2.4: simple string comparison. A mix-up attacker's issuer can be any string around ours.
        org.mockito.Mockito.lenient().when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("the-token"), Duration.ofHours(1)));
        org.mockito.Mockito.lenient().when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Verified(new VerifiedToken("demo", NOW.plus(Duration.ofHours(1)))));
        for (String issuer : new String[] {ISSUER + "/evil", ISSUER + ".evil.example", "https://evil.example/" + ISSUER,
                "evil" + ISSUER, ISSUER + " ", "https://portal.tes", "HTTPS://PORTAL.TEST", ""}) {
            Started login = start("/");

            assertThat(flow.complete(new Callback("c", login.state(), null, issuer, login.browser()))).as(issuer)
                    .isInstanceOfSatisfying(LoginOutcome.Rejected.class,
                            rejected -> assertThat(rejected.reason()).isEqualTo(Rejection.ISSUER_MISMATCH));
        }
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void a_callback_without_iss_is_refused_only_where_the_issuer_is_required() {
        issues("the-token", Duration.ofHours(1), NOW.plus(Duration.ofHours(1)));
        Started relaxed = start("/");
        assertThat(flow.complete(new Callback("c", relaxed.state(), null, null, relaxed.browser())))
                .isInstanceOf(LoginOutcome.Completed.class);

        flow = flowWith(new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(), SETTINGS.redirectUri(),
                SETTINGS.sessionCookieName(), ISSUER, true, true, 3));
        Started strict = start("/");
        assertThat(reason(flow.complete(new Callback("c", strict.state(), null, null, strict.browser()))))
                .isEqualTo(Rejection.ISSUER_MISMATCH);
    }

    @Test
    void a_cancelled_login_is_reported_as_cancelled_once_its_state_is_valid() {
        assertThat(reason(flow.complete(start("/").failure("access_denied")))).isEqualTo(Rejection.LOGIN_CANCELLED);
        assertThat(reason(flow.complete(start("/").failure("server_error")))).isEqualTo(Rejection.LOGIN_FAILED);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void an_error_callback_with_a_bad_state_is_refused_for_its_state() {
        assertThat(reason(flow.complete(new Callback(null, "forged", "access_denied", ISSUER, Map.of()))))
                .isEqualTo(Rejection.STATE_INVALID);
    }

    @Test
    void a_callback_without_a_usable_code_is_refused_without_calling_the_portal() {
        for (String code : Arrays.asList(null, "", "  ", "x".repeat(AuthorizationCode.MAX_LENGTH + 1))) {
            assertThat(reason(flow.complete(start("/").success(code)))).isEqualTo(Rejection.CODE_MISSING);
        }
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void a_failed_exchange_is_refused_with_the_portals_reason_and_no_session() {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Failed(ExchangeFailure.CODE_REJECTED, "invalid_grant"));

        LoginOutcome outcome = flow.complete(start("/").success("the-code"));

        assertThat(outcome).isInstanceOfSatisfying(LoginOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Rejection.CODE_REJECTED);
            assertThat(rejected.detail()).isEqualTo("invalid_grant");
        });
        verifyNoInteractions(tokenVerifier);
    }

    @Test
    void a_token_that_fails_verification_signs_nobody_in() {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("forged-token"), Duration.ofHours(1)));
        when(tokenVerifier.verify(new AccessToken("forged-token"))).thenReturn(
                new VerificationResult.Refused(TokenCheck.SIGNATURE));

        assertThat(reason(flow.complete(start("/").success("the-code")))).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    @Test
    void a_token_that_is_already_expired_signs_nobody_in() {
        issues("old-token", Duration.ofHours(1), NOW.minusSeconds(1));

        assertThat(reason(flow.complete(start("/").success("the-code")))).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    @Test
    void a_token_refused_by_any_check_signs_nobody_in_and_the_log_detail_names_the_check() {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("the-token"), Duration.ofHours(1)));
        when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Refused(TokenCheck.AUDIENCE));

        LoginOutcome outcome = flow.complete(start("/").success("the-code"));

        assertThat(outcome).isInstanceOfSatisfying(LoginOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
            assertThat(rejected.detail()).contains("AUDIENCE").doesNotContain("the-token");
        });
    }

    @Test
    void a_token_that_cannot_be_judged_because_the_portals_keys_are_unavailable_is_portal_unavailable() {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("the-token"), Duration.ofHours(1)));
        when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Unavailable("JWKS unreachable"));

        assertThat(reason(flow.complete(start("/").success("the-code")))).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
    }

    @Test
    void an_unavailable_used_state_store_fails_closed_without_calling_the_portal_and_keeps_the_flow_cookie() {
        Started login = start("/");
        when(usedStates.markUsed(any(), any())).thenReturn(new MarkResult.Unavailable("store down"),
                new MarkResult.Marked());

        LoginOutcome outcome = flow.complete(login.success("the-code"));

        assertThat(outcome).isInstanceOfSatisfying(LoginOutcome.Rejected.class, rejected -> {
            assertThat(rejected.reason()).isEqualTo(Rejection.STORE_UNAVAILABLE);
            assertThat(rejected.spentFlows()).isEmpty();
        });
        verifyNoInteractions(tokenExchange, tokenVerifier);
        // The state was not marked used: the same callback succeeds once the store answers again.
        issues("the-token", Duration.ofHours(1), NOW.plus(Duration.ofHours(1)));
        assertThat(flow.complete(login.success("the-code"))).isInstanceOf(LoginOutcome.Completed.class);
    }

    @Test
    void an_unavailable_store_also_stops_an_error_callback_before_it_is_judged() {
        when(usedStates.markUsed(any(), any())).thenReturn(new MarkResult.Unavailable("store down"));

        assertThat(reason(flow.complete(start("/").failure("access_denied")))).isEqualTo(Rejection.STORE_UNAVAILABLE);
        verifyNoInteractions(tokenExchange);
    }

    @Test
    void show_tells_who_is_signed_in_or_that_the_session_is_over() {
        Instant end = NOW.plusSeconds(60);
        UserProfile demo = new UserProfile("demo", "Demo", "User", "demo@example.com");
        when(userDirectory.lookUp(new AccessToken("t1"), "demo")).thenReturn(new LookupResult.Found(demo));
        when(userDirectory.lookUp(new AccessToken("t2"), "demo")).thenReturn(new LookupResult.TokenRefused());
        when(userDirectory.lookUp(new AccessToken("t3"), "demo"))
                .thenReturn(new LookupResult.Failed(Rejection.PORTAL_TIMEOUT, "slow"));

        assertThat(flow.show(new AccessToken("t1"), "demo", end)).isEqualTo(new Identity.Known(demo, end));
        assertThat(flow.show(new AccessToken("t2"), "demo", end)).isEqualTo(new Identity.SessionOver());
        assertThat(flow.show(new AccessToken("t3"), "demo", end))
                .isEqualTo(new Identity.Unavailable(Rejection.PORTAL_TIMEOUT));
    }

    @Test
    void sign_out_without_a_session_expires_the_session_cookie_by_its_own_name_and_records_nothing() {
        assertThat(flow.signOut()).isEqualTo(new SessionCookie("__Host-pot-session", "", Duration.ZERO));
        verifyNoInteractions(signedOutSessions, tokenExchange, userDirectory);
    }

    @Test
    void sign_out_remembers_the_session_by_the_digest_of_its_token_until_the_token_expires() {
        Instant end = NOW.plusSeconds(600);
        when(signedOutSessions.remember(any(), any())).thenReturn(new RememberResult.Remembered());

        SignOutOutcome outcome = flow.signOut(new AccessToken("the-token"), end);

        assertThat(outcome).isEqualTo(new SignOutOutcome.Ended(SessionCookie.cleared("__Host-pot-session")));
        // SHA-256("the-token"), base64url: the store never sees the token.
        SessionId expected = new SessionId("wqc_z2HfvcrceaELozCy7162b8Cmc17Wm3lrs8l7l64");
        assertThat(SessionId.of(new AccessToken("the-token"))).isEqualTo(expected);
        verify(signedOutSessions).remember(expected, end);
    }

    @Test
    void sign_out_clears_the_cookie_even_when_the_store_cannot_record_it_and_says_so() {
        when(signedOutSessions.remember(any(), any())).thenReturn(new RememberResult.Unavailable("down"));

        SignOutOutcome outcome = flow.signOut(new AccessToken("the-token"), NOW.plusSeconds(600));

        assertThat(outcome).isEqualTo(new SignOutOutcome.CookieClearedOnly(SessionCookie.cleared("__Host-pot-session"),
                "signed-out-session store: down"));
    }

    @Test
    void sign_out_clears_the_cookie_even_when_the_store_throws() {
        when(signedOutSessions.remember(any(), any())).thenThrow(new IllegalStateException("the-token leaked?"));

        SignOutOutcome outcome = flow.signOut(new AccessToken("the-token"), NOW.plusSeconds(600));

        assertThat(outcome).isInstanceOf(SignOutOutcome.CookieClearedOnly.class);
        assertThat(outcome.clearedCookie()).isEqualTo(SessionCookie.cleared("__Host-pot-session"));
        assertThat(((SignOutOutcome.CookieClearedOnly) outcome).detail()).doesNotContain("the-token");
    }

    @Test
    void a_signed_out_session_is_over_without_asking_the_portal() {
        when(signedOutSessions.check(SessionId.of(new AccessToken("t1")))).thenReturn(new SignOutCheck.SignedOut());

        assertThat(flow.show(new AccessToken("t1"), "demo", NOW.plusSeconds(60))).isEqualTo(new Identity.SessionOver());
        verifyNoInteractions(userDirectory);
    }

    @Test
    void a_session_whose_sign_out_cannot_be_checked_is_store_unavailable_without_asking_the_portal() {
        when(signedOutSessions.check(any())).thenReturn(new SignOutCheck.Unavailable("down"));

        assertThat(flow.show(new AccessToken("t1"), "demo", NOW.plusSeconds(60)))
                .isEqualTo(new Identity.Unavailable(Rejection.STORE_UNAVAILABLE));
        verifyNoInteractions(userDirectory);
    }

    @Test
    void a_store_that_throws_on_the_check_is_store_unavailable_too() {
        when(signedOutSessions.check(any())).thenThrow(new IllegalStateException("connection reset"));

        assertThat(flow.show(new AccessToken("t1"), "demo", NOW.plusSeconds(60)))
                .isEqualTo(new Identity.Unavailable(Rejection.STORE_UNAVAILABLE));
        verifyNoInteractions(userDirectory);
    }

    @Test
    void nothing_secret_is_printed_by_the_values_that_carry_it() {
        assertThat(new AuthorizationCode("the-code").toString()).doesNotContain("the-code");
        assertThat(new AccessToken("the-token").toString()).doesNotContain("the-token");
        String verifier = "v".repeat(43);
        assertThat(new CodeVerifier(verifier).toString()).doesNotContain(verifier);
        assertThat(new SessionCookie("n", "the-token", Duration.ofHours(1)).toString()).doesNotContain("the-token");
        assertThat(new Callback("the-code", "the-state", null, null, Map.of()).toString())
                .doesNotContain("the-code", "the-state");
        assertThat(Secret.of("client-secret", "s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(SessionId.of(new AccessToken("the-token")).toString()).doesNotContain("the-token");
    }

    @Test
    void under_openid_connect_the_authorize_url_carries_a_nonce_derived_from_the_flow_secret_unlike_verifier_and_binding() {
        flow = openIdFlow();
        Started login = start("/");

        Map<String, String> query = query(login.started().portalUri());
        String nonce = login.secret().nonce();
        assertThat(query).containsEntry("nonce", nonce).containsEntry("scope", "profile openid");
        assertThat(nonce).matches("[A-Za-z0-9_-]{43}")
                .isNotEqualTo(login.codeVerifier().value())
                .isNotEqualTo(LoginFlow.codeChallenge(login.codeVerifier()))
                .isNotEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(login.secret().binding()))
                .isNotEqualTo(login.secret().encoded());
        assertThat(query(start("/").started().portalUri()).get("nonce")).isNotEqualTo(nonce);
    }

    @Test
    void without_openid_in_the_scope_no_nonce_is_sent_and_an_id_token_is_ignored() {
        flow = flowWith(new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(), SETTINGS.redirectUri(),
                SETTINGS.sessionCookieName(), ISSUER, false, true, 3, Map.of(LoginSettings.SCOPE, "openidish profile")));
        Started login = start("/");
        issuesWithIdToken(Optional.of(new IdToken("an-id-token")));

        assertThat(query(login.started().portalUri())).doesNotContainKey("nonce");
        assertThat(flow.complete(login.success("the-code"))).isInstanceOf(LoginOutcome.Completed.class);
        verifyNoInteractions(idTokenVerifier);
    }

    @Test
    void under_openid_connect_an_id_token_with_this_logins_nonce_and_the_access_tokens_subject_signs_in() {
        flow = openIdFlow();
        Started login = start("/reports");
        issuesWithIdToken(Optional.of(new IdToken("the-id-token")));
        when(idTokenVerifier.verify(new IdToken("the-id-token"))).thenReturn(verifiedIdToken("demo",
                login.secret().nonce()));

        assertThat(flow.complete(login.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Completed.class,
                completed -> assertThat(completed.session().value()).isEqualTo("the-token"));
    }

    @Test
    void under_openid_connect_the_verified_id_token_is_kept_in_a_cookie_named_after_the_sessions_for_as_long() {
        flow = openIdFlow();
        Started login = start("/");
        issuesWithIdToken(Optional.of(new IdToken("the-id-token")));
        when(idTokenVerifier.verify(new IdToken("the-id-token"))).thenReturn(verifiedIdToken("demo",
                login.secret().nonce()));

        assertThat(flow.complete(login.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Completed.class,
                completed -> assertThat(completed.idTokenCookie()).contains(new SessionCookie(
                        "__Host-pot-session-id", "the-id-token", completed.session().maxAge())));
    }

    @Test
    void an_id_token_too_large_for_a_cookie_is_not_kept_and_plain_oauth_keeps_none() {
        flow = openIdFlow();
        Started login = start("/");
        String large = "x".repeat(3900 - "__Host-pot-session-id".length() + 1);
        issuesWithIdToken(Optional.of(new IdToken(large)));
        when(idTokenVerifier.verify(new IdToken(large))).thenReturn(verifiedIdToken("demo", login.secret().nonce()));

        assertThat(flow.complete(login.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Completed.class,
                completed -> assertThat(completed.idTokenCookie()).isEmpty());

        flow = flowWith(new LoginSettings(SETTINGS.authorizeUri(), SETTINGS.clientId(), SETTINGS.redirectUri(),
                SETTINGS.sessionCookieName(), ISSUER, false, true, 3, Map.of()));
        Started plain = start("/");
        issuesWithIdToken(Optional.of(new IdToken("an-id-token")));
        assertThat(flow.complete(plain.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Completed.class,
                completed -> assertThat(completed.idTokenCookie()).isEmpty());
    }

    @Test
    void an_id_token_whose_nonce_belongs_to_another_login_is_refused_without_a_session() {
        flow = openIdFlow();
        Started victims = start("/");
        Started attackers = start("/");
        issuesWithIdToken(Optional.of(new IdToken("the-attackers-id-token")));
        // Valid in every other respect: the provider's, for us, about the same user, but from the other login.
        when(idTokenVerifier.verify(new IdToken("the-attackers-id-token"))).thenReturn(verifiedIdToken("demo",
                attackers.secret().nonce()));

        assertThat(flow.complete(victims.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Rejected.class,
                rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
                    assertThat(rejected.detail()).contains("NONCE").doesNotContain(attackers.secret().nonce());
                });
    }

    @Test
    void an_id_token_without_a_nonce_is_refused() {
        flow = openIdFlow();
        issuesWithIdToken(Optional.of(new IdToken("the-id-token")));
        when(idTokenVerifier.verify(new IdToken("the-id-token"))).thenReturn(new IdTokenResult.Verified(
                new IdTokenResult.VerifiedIdToken("demo", Optional.empty(), NOW.plus(Duration.ofHours(1)))));

        assertThat(reason(flow.complete(start("/").success("the-code")))).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    @Test
    void under_openid_connect_a_token_response_without_an_id_token_is_refused() {
        flow = openIdFlow();
        issuesWithIdToken(Optional.empty());

        assertThat(flow.complete(start("/").success("the-code"))).isInstanceOfSatisfying(
                LoginOutcome.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
                    assertThat(rejected.detail()).contains("no id_token");
                });
        verifyNoInteractions(idTokenVerifier);
    }

    @Test
    void an_id_token_about_another_user_than_the_access_token_is_refused() {
        flow = openIdFlow();
        Started login = start("/");
        issuesWithIdToken(Optional.of(new IdToken("the-id-token")));
        when(idTokenVerifier.verify(new IdToken("the-id-token"))).thenReturn(verifiedIdToken("someone-else",
                login.secret().nonce()));

        assertThat(flow.complete(login.success("the-code"))).isInstanceOfSatisfying(LoginOutcome.Rejected.class,
                rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
                    assertThat(rejected.detail()).contains("SUBJECT_MISMATCH");
                });
    }

    @Test
    void an_id_token_that_fails_a_check_refuses_the_login_and_a_key_outage_is_portal_unavailable() {
        flow = openIdFlow();
        issuesWithIdToken(Optional.of(new IdToken("the-id-token")));
        when(idTokenVerifier.verify(new IdToken("the-id-token")))
                .thenReturn(new IdTokenResult.Refused(IdTokenCheck.AUTHORIZED_PARTY))
                .thenReturn(new IdTokenResult.Unavailable("keys down"));

        assertThat(flow.complete(start("/").success("the-code"))).isInstanceOfSatisfying(
                LoginOutcome.Rejected.class, rejected -> {
                    assertThat(rejected.reason()).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
                    assertThat(rejected.detail()).contains("AUTHORIZED_PARTY");
                });
        assertThat(reason(flow.complete(start("/").success("the-code")))).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
    }

    @Test
    void an_openid_scope_without_an_id_token_verifier_is_refused_at_construction() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> flowWith(OPENID_SETTINGS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ID-token verifier");
    }

    @Test
    void an_authorize_uri_whose_query_sets_the_scope_or_a_parameter_of_the_flow_is_refused_at_construction() {
        // The review of the ID-token change: scope=openid there would make the portal speak OpenID Connect while the
        // flow, reading only its settings, sent no nonce and ignored the ID token.
        for (String query : List.of("scope=openid", "nonce=x", "state=x", "code_challenge=x", "a=1&sc%6Fpe=openid")) {
            URI authorize = URI.create("https://portal.test/authorize?" + query);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginSettings(authorize, SETTINGS.clientId(),
                            SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3, Map.of()))
                    .as(query).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("which the flow sets itself or reads from its settings");
        }
        // Any other parameter a portal wants in its authorize URI stays.
        new LoginSettings(URI.create("https://portal.test/authorize?tenant=a"), SETTINGS.clientId(),
                SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3, Map.of());
    }

    @Test
    void nonce_is_a_parameter_the_flow_sets_itself() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LoginSettings(SETTINGS.authorizeUri(),
                        SETTINGS.clientId(), SETTINGS.redirectUri(), SETTINGS.sessionCookieName(), ISSUER, false, true, 3,
                        Map.of("nonce", "attacker-chosen")))
                .hasMessageContaining("'nonce' is set by the flow itself");
    }

    private void issuesWithIdToken(Optional<IdToken> idToken) {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken("the-token"), Duration.ofHours(1), idToken));
        when(tokenVerifier.verify(new AccessToken("the-token"))).thenReturn(
                new VerificationResult.Verified(new VerifiedToken("demo", NOW.plus(Duration.ofHours(1)))));
    }

    private static IdTokenResult verifiedIdToken(String subject, String nonce) {
        return new IdTokenResult.Verified(new IdTokenResult.VerifiedIdToken(subject, Optional.of(nonce),
                NOW.plus(Duration.ofHours(1))));
    }

    private static Rejection reason(LoginOutcome outcome) {
        assertThat(outcome).isInstanceOf(LoginOutcome.Rejected.class);
        return ((LoginOutcome.Rejected) outcome).reason();
    }

    private void issues(String token, Duration expiresIn, Instant expiresAt) {
        when(tokenExchange.exchange(any(), any())).thenReturn(
                new ExchangeResult.Issued(new AccessToken(token), expiresIn));
        when(tokenVerifier.verify(new AccessToken(token))).thenReturn(
                new VerificationResult.Verified(new VerifiedToken("demo", expiresAt)));
    }

    private static Map<String, String> query(URI uri) {
        return Arrays.stream(uri.getRawQuery().split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
    }
}
