package pot.login.domain.flow;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;
import pot.login.domain.FlowCookie;
import pot.login.domain.IdToken;
import pot.login.domain.Rejection;
import pot.login.domain.RefreshToken;
import pot.login.domain.ReturnPath;
import pot.login.domain.SessionCookie;
import pot.login.domain.SessionId;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.Identity;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.in.StartLogin;
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
import pot.login.domain.session.SessionRenewal;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateSigner;

/**
 * The eight steps, in the order the README tells them. Every decision of the login lives here, and every check of a
 * callback runs before the portal is called: an authentic state, issued to this browser, not used before, from our
 * portal; only then is the code exchanged (with the PKCE verifier that only the browser's flow secret yields) and the
 * token verified.
 *
 * <p>Over 350 lines on purpose: the whole order of checks (ADR-0003) reads top to bottom in one class, and
 * the policies it applies already live apart ({@code StateSigner}, {@code FlowCookies}, {@code FlowSecret}).
 */
public final class LoginFlow implements StartLogin, CompleteLogin, ShowSignedInUser, SignOut {

    private static final String CANCELLED_BY_USER = "access_denied";
    private static final String NO_LOGIN_ID = "";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final LoginSettings settings;
    private final StateSigner states;
    private final FlowCookies flowCookies;
    private final UsedStates usedStates;
    private final TokenExchange tokenExchange;
    private final TokenVerifier tokenVerifier;
    /** Null when the login is plain OAuth 2.0, where no ID token is asked for and one that comes is ignored. */
    private final IdTokenVerifier idTokenVerifier;
    private final UserDirectory userDirectory;
    private final SignedOutSessions signedOutSessions;
    /** Null when sessions do not renew (no refresh-cookie keys): a refresh token the provider sends is dropped. */
    private final SessionRenewal renewal;
    private final Clock clock;
    private final SecureRandom random;
    /** The authorize URL up to the state's value, and the extra parameters after PKCE's: the same for every login. */
    private final String authorizeUriUpToState;
    private final String authorizeUriExtras;

    /** A plain OAuth 2.0 login: its settings may not ask for OpenID Connect, which needs an {@link IdTokenVerifier}. */
    public LoginFlow(LoginSettings settings, StateSigner states, UsedStates usedStates, TokenExchange tokenExchange,
                     TokenVerifier tokenVerifier, UserDirectory userDirectory, SignedOutSessions signedOutSessions,
                     Clock clock, SecureRandom random) {
        this(settings, states, usedStates, tokenExchange, tokenVerifier, null, userDirectory, signedOutSessions, clock,
                random);
    }

    /**
     * @param idTokenVerifier checks the ID token when the settings make the login OpenID Connect
     *                        ({@link LoginSettings#openIdConnect()}); null otherwise
     */
    public LoginFlow(LoginSettings settings, StateSigner states, UsedStates usedStates, TokenExchange tokenExchange,
                     TokenVerifier tokenVerifier, IdTokenVerifier idTokenVerifier, UserDirectory userDirectory,
                     SignedOutSessions signedOutSessions, Clock clock, SecureRandom random) {
        this(settings, states, usedStates, tokenExchange, tokenVerifier, idTokenVerifier, userDirectory,
                signedOutSessions, null, clock, random);
    }

    /**
     * @param renewal seals the refresh token of a sign-in into its cookie (ADR-0007); null when sessions do not renew
     */
    public LoginFlow(LoginSettings settings, StateSigner states, UsedStates usedStates, TokenExchange tokenExchange,
                     TokenVerifier tokenVerifier, IdTokenVerifier idTokenVerifier, UserDirectory userDirectory,
                     SignedOutSessions signedOutSessions, SessionRenewal renewal, Clock clock, SecureRandom random) {
        this.renewal = renewal;
        this.settings = Objects.requireNonNull(settings, "settings");
        if (settings.openIdConnect() && idTokenVerifier == null) {
            throw new IllegalArgumentException("the scope contains openid, but no ID-token verifier is given");
        }
        this.idTokenVerifier = settings.openIdConnect() ? idTokenVerifier : null;
        this.states = Objects.requireNonNull(states, "states");
        this.usedStates = Objects.requireNonNull(usedStates, "usedStates");
        this.tokenExchange = Objects.requireNonNull(tokenExchange, "tokenExchange");
        this.tokenVerifier = Objects.requireNonNull(tokenVerifier, "tokenVerifier");
        this.userDirectory = Objects.requireNonNull(userDirectory, "userDirectory");
        this.signedOutSessions = SignedOutSessions.failingClosed(
                Objects.requireNonNull(signedOutSessions, "signedOutSessions"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.flowCookies = new FlowCookies(states.maxAge(), settings.maxConcurrentLogins());
        String separator = settings.authorizeUri().getRawQuery() == null ? "?" : "&";
        this.authorizeUriUpToState = settings.authorizeUri() + separator
                + "response_type=code"
                + "&client_id=" + urlEncoded(settings.clientId())
                + "&redirect_uri=" + urlEncoded(settings.redirectUri().toString())
                + "&state=";
        StringBuilder extras = new StringBuilder();
        settings.extraAuthorizeParameters().forEach((name, value) ->
                extras.append('&').append(name).append('=').append(urlEncoded(value)));
        this.authorizeUriExtras = extras.toString();
    }

    // Steps 1–3.
    @Override
    public LoginStarted start(String returnTo, Map<String, String> presentedFlows) {
        byte[] nonce = new byte[StateClaims.NONCE_BYTES];
        random.nextBytes(nonce);
        FlowSecret secret = FlowSecret.random(random);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        StateClaims claims = new StateClaims(now, nonce, secret.binding(), ReturnPath.orHome(returnTo));
        String state = states.sign(claims);
        return new LoginStarted(authorizeUri(state, secret), FlowCookies.loginId(claims),
                flowCookies.issue(claims, secret), flowCookies.toEvict(presentedFlows));
    }

    // Steps 6–8 (step 5 is the browser arriving with the callback).
    @Override
    public LoginOutcome complete(Callback callback) {
        return switch (states.verify(callback.state(), clock.instant())) {
            case StateCheck.Refused(Rejection reason) ->
                    new LoginOutcome.Rejected(reason, "state refused", NO_LOGIN_ID, List.of());
            case StateCheck.Valid(StateClaims claims) -> complete(callback, claims);
        };
    }

    private LoginOutcome complete(Callback callback, StateClaims claims) {
        String loginId = FlowCookies.loginId(claims);
        // Login CSRF, and a callback URL that leaked (RFC 9700 attacker A3): only the browser that started the login
        // holds the secret whose digest the state carries.
        Optional<FlowSecret> secret = flowCookies.boundSecret(claims, callback.flowCookies());
        if (secret.isEmpty()) {
            return new LoginOutcome.Rejected(Rejection.STATE_NOT_BOUND, "no flow cookie with this state's secret",
                    loginId, List.of());
        }
        List<FlowCookie> spent = List.of(flowCookies.spent(claims));
        if (!fromOurIssuer(callback.issuer())) {
            return new LoginOutcome.Rejected(Rejection.ISSUER_MISMATCH, "callback iss is not our portal's", loginId,
                    spent);
        }
        // Marked used before the portal is called, so that two copies of one callback cannot both exchange.
        switch (markUsed(claims)) {
            case MarkResult.Marked() -> {
            }
            case MarkResult.AlreadyUsed() -> {
                return new LoginOutcome.Rejected(Rejection.STATE_REPLAYED, "state used before", loginId, spent);
            }
            // Fail closed: without the store's answer this may be a replay. The state may not be marked, so the flow
            // cookie is kept and the same callback may succeed once the store is back (or be state_replayed, if
            // the store did mark it).
            case MarkResult.Unavailable(String detail) -> {
                return new LoginOutcome.Rejected(Rejection.STORE_UNAVAILABLE, "used-state store: " + detail, loginId,
                        List.of());
            }
        }
        if (callback.error() != null) {
            return CANCELLED_BY_USER.equals(callback.error())
                    ? new LoginOutcome.Rejected(Rejection.LOGIN_CANCELLED, "the user cancelled at the portal", loginId,
                    spent)
                    : new LoginOutcome.Rejected(Rejection.LOGIN_FAILED, "the portal reported an error", loginId, spent);
        }
        Optional<AuthorizationCode> code = codeOf(callback);
        if (code.isEmpty()) {
            return new LoginOutcome.Rejected(Rejection.CODE_MISSING, "no usable code on the callback", loginId, spent);
        }
        Optional<CodeVerifier> codeVerifier = settings.pkce() ? Optional.of(secret.get().codeVerifier())
                : Optional.empty();
        return switch (tokenExchange.exchange(code.get(), codeVerifier)) {
            case ExchangeResult.Failed(ExchangeFailure reason, String detail) ->
                    new LoginOutcome.Rejected(reason.rejection(), detail, loginId, spent);
            case ExchangeResult.Issued(AccessToken token, Duration expiresIn, Optional<IdToken> idToken,
                                       Optional<RefreshToken> refreshToken) ->
                    switch (tokenVerifier.verify(token)) {
                        case VerificationResult.Refused(TokenCheck check) -> new LoginOutcome.Rejected(
                                Rejection.PORTAL_BAD_RESPONSE, "the issued token failed the " + check + " check",
                                loginId, spent);
                        // A key outage is not a forgery: the user may try again once the portal's keys can be loaded.
                        case VerificationResult.Unavailable(String detail) -> new LoginOutcome.Rejected(
                                Rejection.PORTAL_UNAVAILABLE, "the portal's keys are unavailable: " + detail, loginId,
                                spent);
                        case VerificationResult.Verified(VerifiedToken verified) -> idTokenVerifier == null
                                ? signedIn(token, refreshToken, expiresIn, verified, claims, loginId, spent)
                                : idTokenOf(idToken, secret.get(), verified)
                                .<LoginOutcome>map(refusal -> new LoginOutcome.Rejected(refusal.reason(),
                                        refusal.detail(), loginId, spent))
                                .orElseGet(() -> keepingIdToken(signedIn(token, refreshToken, expiresIn, verified,
                                        claims, loginId, spent), idToken.get()));
                    };
        };
    }

    /** RP-Initiated Logout's {@code id_token_hint} needs the ID token at sign-out: the browser keeps it. */
    private static LoginOutcome keepingIdToken(LoginOutcome outcome, IdToken idToken) {
        return switch (outcome) {
            case LoginOutcome.Completed completed -> completed.keepingIdToken(idToken);
            case LoginOutcome.Rejected rejected -> rejected;
        };
    }

    private record Refusal(Rejection reason, String detail) {
    }

    /**
     * OIDC Core §3.1.3.7, for a login that asked for an ID token: why it is refused, or empty when it is this login's
     * and this user's. Its nonce must be the one only this browser's flow secret yields (§3.1.3.7 step 11): an ID
     * token from another login — a stolen code redeemed here, or a response swapped in — names another nonce.
     */
    private Optional<Refusal> idTokenOf(Optional<IdToken> idToken, FlowSecret secret, VerifiedToken accessToken) {
        if (idToken.isEmpty()) {
            return Optional.of(new Refusal(Rejection.PORTAL_BAD_RESPONSE,
                    "the token response has no id_token, and the scope asked for openid"));
        }
        return switch (idTokenVerifier.verify(idToken.get())) {
            case IdTokenResult.Refused(IdTokenCheck check) -> Optional.of(new Refusal(Rejection.PORTAL_BAD_RESPONSE,
                    "the ID token failed the " + check + " check"));
            case IdTokenResult.Unavailable(String detail) -> Optional.of(new Refusal(Rejection.PORTAL_UNAVAILABLE,
                    "the portal's keys are unavailable: " + detail));
            case IdTokenResult.Verified(IdTokenResult.VerifiedIdToken verified) -> {
                if (!verified.nonce().map(nonce -> constantTimeEquals(nonce, secret.nonce())).orElse(false)) {
                    yield Optional.of(new Refusal(Rejection.PORTAL_BAD_RESPONSE,
                            "the ID token failed the NONCE check: it was not issued for this login"));
                }
                // The session is the access token's; an ID token about someone else says the two are not one login's.
                if (!constantTimeEquals(verified.subject(), accessToken.subject())) {
                    yield Optional.of(new Refusal(Rejection.PORTAL_BAD_RESPONSE,
                            "the ID token failed the SUBJECT_MISMATCH check: its sub is not the access token's"));
                }
                yield Optional.empty();
            }
        };
    }

    private static boolean constantTimeEquals(String presented, String expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    /** A store that throws instead of answering Unavailable is down all the same: fail closed, never a 500. */
    private MarkResult markUsed(StateClaims claims) {
        try {
            return usedStates.markUsed(claims.nonceHex(), claims.issuedAt().plus(states.maxAge()));
        } catch (RuntimeException storeFailure) {
            // The class only: a driver's message may carry the key, which is the state's nonce.
            return new MarkResult.Unavailable("the store threw " + storeFailure.getClass().getName());
        }
    }

    private LoginOutcome signedIn(AccessToken token, Optional<RefreshToken> refreshToken, Duration expiresIn,
                                  VerifiedToken verified, StateClaims claims, String loginId, List<FlowCookie> spent) {
        Duration lifetime = sessionLifetime(expiresIn, verified.expiresAt());
        if (lifetime.isZero()) {
            return new LoginOutcome.Rejected(Rejection.PORTAL_BAD_RESPONSE, "the issued token is already expired",
                    loginId, spent);
        }
        SessionCookie session = new SessionCookie(settings.sessionCookieName(), token.value(), lifetime);
        Optional<SessionCookie> refreshCookie = renewal == null ? Optional.empty()
                : refreshToken.map(refresh -> renewal.refreshCookieAtSignIn(refresh, verified.subject()));
        return new LoginOutcome.Completed(session, claims.returnTo(), verified.subject(), loginId, spent,
                Optional.empty(), refreshCookie);
    }

    @Override
    public Identity show(AccessToken token, String subject, Instant sessionEndsAt) {
        // Before the portal is asked: the portal still accepts a token that was signed out here.
        return switch (signedOutSessions.check(SessionId.of(token))) {
            case SignOutCheck.SignedOut() -> new Identity.SessionOver();
            // Fail closed: without the store's answer this may be a copy of a cookie that was signed out.
            case SignOutCheck.Unavailable(String detail) -> new Identity.Unavailable(Rejection.STORE_UNAVAILABLE);
            case SignOutCheck.NotSignedOut() -> switch (userDirectory.lookUp(token, subject)) {
                case LookupResult.Found(UserProfile profile) -> new Identity.Known(profile, sessionEndsAt);
                case LookupResult.TokenRefused() -> new Identity.SessionOver();
                case LookupResult.Failed(Rejection reason, String detail) -> new Identity.Unavailable(reason);
            };
        };
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt) {
        SessionCookie cleared = signOut();
        // The user asked to leave: the cookie goes whatever the store says, and the caller logs what it could not do.
        return switch (signedOutSessions.remember(SessionId.of(token), sessionEndsAt)) {
            case RememberResult.Remembered() -> new SignOutOutcome.Ended(cleared);
            case RememberResult.Unavailable(String detail) ->
                    new SignOutOutcome.CookieClearedOnly(cleared, "signed-out-session store: " + detail);
        };
    }

    @Override
    public SessionCookie signOut() {
        return SessionCookie.cleared(settings.sessionCookieName());
    }


    /** RFC 9207: a callback that names an issuer must name ours; one that names none passes unless required. */
    private boolean fromOurIssuer(String issuer) {
        if (issuer == null) {
            return !settings.callbackIssuerRequired();
        }
        return MessageDigest.isEqual(issuer.getBytes(StandardCharsets.UTF_8),
                settings.issuer().getBytes(StandardCharsets.UTF_8));
    }

    // Only the state and its PKCE challenge change from login to login, so the rest is built once (bench/README.md
    // has the profile that asked for it).
    private URI authorizeUri(String state, FlowSecret secret) {
        StringBuilder uri = new StringBuilder(authorizeUriUpToState.length() + 2 * state.length())
                .append(authorizeUriUpToState).append(urlEncoded(state));
        if (settings.pkce()) {
            uri.append("&code_challenge=").append(codeChallenge(secret.codeVerifier()))
                    .append("&code_challenge_method=S256");
        }
        if (idTokenVerifier != null) {
            uri.append("&nonce=").append(secret.nonce());
        }
        return URI.create(uri.append(authorizeUriExtras).toString());
    }

    private static String urlEncoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). */
    static String codeChallenge(CodeVerifier codeVerifier) {
        try {
            return ENCODER.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(codeVerifier.value().getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }

    private static Optional<AuthorizationCode> codeOf(Callback callback) {
        String code = callback.code();
        if (code == null || code.isBlank() || code.length() > AuthorizationCode.MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new AuthorizationCode(code));
    }

    /** The cookie lives no longer than the portal says, nor past the token's own expiry; zero if already past. */
    private Duration sessionLifetime(Duration expiresIn, Instant expiresAt) {
        Duration untilExpiry = Duration.between(clock.instant(), expiresAt).truncatedTo(ChronoUnit.SECONDS);
        Duration shorter = expiresIn.compareTo(untilExpiry) < 0 ? expiresIn : untilExpiry;
        return shorter.isNegative() ? Duration.ZERO : shorter;
    }
}
