package pot.login.domain.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.Rejection;
import pot.login.domain.RefreshToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.SessionId;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.Renewal;
import pot.login.domain.port.in.Renewal.Current;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.out.ExchangeFailure;
import pot.login.domain.port.out.IdTokenCheck;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/**
 * ADR-0007: renews a session from its refresh cookie, within its absolute lifetime; the renewed access token is
 * verified as step 7 verifies the first one, and must name the user who signed in.
 *
 * <p>Single flight per instance: concurrent requests with one refresh token call the provider once, and a result is
 * kept for {@code renewBefore} after it came, for the requests that left the browser before the new cookies arrived.
 * With rotation, a second refresh of the same token would be refused and end the session.
 *
 * <p>Sign-out records the refresh session in {@link SignedOutSessions} (shared by every instance where the store is),
 * and a refresh cookie recorded there renews nothing: the provider's revocation is best effort, and some providers
 * keep refresh tokens alive or have no revocation endpoint.
 */
public final class SessionRenewal implements RenewSession {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SESSION_ID_BYTES = 16;

    private final RenewalSettings settings;
    private final RefreshCookieCodec codec;
    private final TokenRefresh tokenRefresh;
    private final TokenVerifier tokenVerifier;
    /** Null for a plain OAuth 2.0 login, where an ID token in a refresh response is ignored. */
    private final IdTokenVerifier idTokenVerifier;
    private final SignedOutSessions signedOutSessions;
    private final Clock clock;
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();

    /**
     * @param idTokenVerifier   null when the login is plain OAuth 2.0
     * @param signedOutSessions the store sign-out records refresh sessions in; the access tokens' store
     */
    public SessionRenewal(RenewalSettings settings, RefreshCookieCodec codec, TokenRefresh tokenRefresh,
                          TokenVerifier tokenVerifier, IdTokenVerifier idTokenVerifier,
                          SignedOutSessions signedOutSessions, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.tokenRefresh = Objects.requireNonNull(tokenRefresh, "tokenRefresh");
        this.tokenVerifier = Objects.requireNonNull(tokenVerifier, "tokenVerifier");
        this.idTokenVerifier = idTokenVerifier;
        this.signedOutSessions = SignedOutSessions.failingClosed(
                Objects.requireNonNull(signedOutSessions, "signedOutSessions"));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The refresh cookie a sign-in sets when the provider issued a refresh token (step 8's second cookie). */
    public SessionCookie refreshCookieAtSignIn(RefreshToken token, String subject) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        byte[] id = new byte[SESSION_ID_BYTES];
        RANDOM.nextBytes(id);
        return refreshCookie(new RefreshSession(token, subject, now, ENCODER.encodeToString(id)), now);
    }

    @Override
    public RefreshSignOut signOut(String refreshCookie) {
        Optional<RefreshSession> opened = codec.open(Objects.requireNonNull(refreshCookie, "refreshCookie"));
        if (opened.isEmpty()) {
            return new RefreshSignOut.NothingToEnd();
        }
        RefreshSession session = opened.get();
        Instant endsAt = session.signedInAt().plus(settings.maxLifetime());
        if (!clock.instant().isBefore(endsAt)) {
            // No renewal goes past max-lifetime anyway; the token may still work at the provider, so it is revoked.
            return new RefreshSignOut.Ended(session.token());
        }
        return switch (signedOutSessions.remember(sessionId(session), endsAt)) {
            case RememberResult.Remembered() -> new RefreshSignOut.Ended(session.token());
            case RememberResult.Unavailable(String detail) -> new RefreshSignOut.CookieClearedOnly(session.token(),
                    detail);
        };
    }

    @Override
    public SessionCookie clearedRefreshCookie() {
        return SessionCookie.cleared(settings.refreshCookieName());
    }

    @Override
    public Renewal renew(Optional<Current> current, Optional<String> refreshCookie) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(refreshCookie, "refreshCookie");
        Instant now = clock.instant();
        if (current.isPresent() && current.get().expiresAt().isAfter(now.plus(settings.renewBefore()))) {
            return new Renewal.NotNeeded();
        }
        if (refreshCookie.isEmpty()) {
            return new Renewal.NotNeeded();
        }
        Optional<RefreshSession> opened = codec.open(refreshCookie.get());
        if (opened.isEmpty()) {
            // Tampered, forged, or sealed under a key no longer configured: nothing to renew from.
            return current.isPresent() ? new Renewal.NotNeeded() : ended("the refresh cookie does not open");
        }
        RefreshSession session = opened.get();
        if (current.isPresent() && !constantTimeEquals(current.get().subject(), session.subject())) {
            return ended("the refresh cookie names another user than the session");
        }
        Instant endsAt = session.signedInAt().plus(settings.maxLifetime());
        if (!now.isBefore(endsAt)) {
            // The access token, while it lasts, is still a valid session; past it, the user signs in again.
            return current.isPresent() ? new Renewal.NotNeeded()
                    : ended("the session's absolute lifetime is over");
        }
        switch (signedOutSessions.check(sessionId(session))) {
            case SignOutCheck.SignedOut() -> {
                return ended("the refresh session was signed out");
            }
            // Fail closed: without the store's answer this may be a copy of a cookie that was signed out.
            case SignOutCheck.Unavailable(String detail) -> {
                return new Renewal.Unavailable(Rejection.STORE_UNAVAILABLE,
                        "the signed-out sessions could not be checked: " + detail);
            }
            case SignOutCheck.NotSignedOut() -> {
            }
        }
        Renewal renewal = once(session, endsAt);
        if (renewal instanceof Renewal.Unavailable(Rejection reason, String detail) && current.isPresent()
                && current.get().expiresAt().isAfter(clock.instant())) {
            return new Renewal.Postponed(reason, detail);
        }
        return renewal;
    }

    private Renewal once(RefreshSession session, Instant endsAt) {
        Instant now = clock.instant();
        flights.values().removeIf(flight -> flight.isStale(now, settings.renewBefore()));
        String key = digest(session.token());
        Flight mine = new Flight();
        Flight running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return running.result.join();
        }
        // Until it is replaced, what the waiting requests get if an Error (not caught here) leaves the refresh.
        Renewal result = new Renewal.Unavailable(Rejection.PORTAL_BAD_RESPONSE, "the renewal did not complete");
        try {
            result = refresh(session, endsAt);
        } catch (RuntimeException bug) {
            result = new Renewal.Unavailable(Rejection.PORTAL_BAD_RESPONSE,
                    "the renewal threw " + bug.getClass().getName());
        } finally {
            // Waiting requests must not hang on a flight that will never land.
            mine.land(result, clock.instant());
            if (result instanceof Renewal.Unavailable) {
                // An outage is not remembered: the next request asks again.
                flights.remove(key, mine);
            }
        }
        return result;
    }

    private Renewal refresh(RefreshSession session, Instant endsAt) {
        return switch (tokenRefresh.refresh(session.token())) {
            case RefreshResult.Refused(String detail) -> ended("the provider refused the refresh token: " + detail);
            case RefreshResult.Failed(ExchangeFailure reason, String detail) ->
                    new Renewal.Unavailable(reason.rejection(), detail);
            case RefreshResult.Issued(AccessToken token, Optional<Duration> expiresIn, Optional<RefreshToken> rotated,
                                      Optional<IdToken> idToken) -> switch (tokenVerifier.verify(token)) {
                case VerificationResult.Refused(TokenCheck check) ->
                        ended("the renewed token failed the " + check + " check");
                case VerificationResult.Unavailable(String detail) -> new Renewal.Unavailable(
                        Rejection.PORTAL_UNAVAILABLE, "the portal's keys are unavailable: " + detail);
                case VerificationResult.Verified(VerifiedToken verified) ->
                        renewed(session, endsAt, token, expiresIn, rotated, idToken, verified);
            };
        };
    }

    private Renewal renewed(RefreshSession session, Instant endsAt, AccessToken token, Optional<Duration> expiresIn,
                            Optional<RefreshToken> rotated, Optional<IdToken> idToken, VerifiedToken verified) {
        // A refresh token stolen from one user and planted for another must not switch whom the session shows.
        if (!constantTimeEquals(verified.subject(), session.subject())) {
            return ended("the renewed token failed the SUBJECT_MISMATCH check: its sub is not the session's");
        }
        if (idTokenVerifier != null && idToken.isPresent()) {
            // OIDC Core §12.2: a refreshed ID token has the same iss and aud (the verifier's checks) and the same sub.
            switch (idTokenVerifier.verify(idToken.get())) {
                case IdTokenResult.Refused(IdTokenCheck check) -> {
                    return ended("the renewed ID token failed the " + check + " check");
                }
                case IdTokenResult.Unavailable(String detail) -> {
                    return new Renewal.Unavailable(Rejection.PORTAL_UNAVAILABLE,
                            "the portal's keys are unavailable: " + detail);
                }
                case IdTokenResult.Verified(IdTokenResult.VerifiedIdToken verifiedId) -> {
                    if (!constantTimeEquals(verifiedId.subject(), session.subject())) {
                        return ended("the renewed ID token failed the SUBJECT_MISMATCH check");
                    }
                }
            }
        }
        Instant now = clock.instant();
        Duration untilExp = Duration.between(now, verified.expiresAt());
        Duration lifetime = shortest(expiresIn.orElse(untilExp), untilExp, Duration.between(now, endsAt));
        if (lifetime.isZero()) {
            return ended("the renewed token is already expired");
        }
        RefreshSession next = new RefreshSession(rotated.orElse(session.token()), session.subject(),
                session.signedInAt(), session.id());
        return new Renewal.Renewed(new Current(token, verified.subject(), verified.expiresAt()),
                new SessionCookie(settings.sessionCookieName(), token.value(), lifetime), refreshCookie(next, now));
    }

    private SessionCookie refreshCookie(RefreshSession session, Instant now) {
        Duration left = Duration.between(now, session.signedInAt().plus(settings.maxLifetime()))
                .truncatedTo(ChronoUnit.SECONDS);
        return new SessionCookie(settings.refreshCookieName(), codec.seal(session),
                left.isNegative() ? Duration.ZERO : left);
    }

    private Renewal.Ended ended(String detail) {
        return new Renewal.Ended(List.of(SessionCookie.cleared(settings.sessionCookieName()), clearedRefreshCookie()),
                detail);
    }


    // Its own prefix, so that a refresh session's entry can never be taken for an access token's digest.
    private static SessionId sessionId(RefreshSession session) {
        return new SessionId(sha256("pot-login/refresh-session:" + session.id()));
    }

    private static Duration shortest(Duration... durations) {
        Duration shortest = durations[0];
        for (Duration duration : durations) {
            if (duration.compareTo(shortest) < 0) {
                shortest = duration;
            }
        }
        shortest = shortest.truncatedTo(ChronoUnit.SECONDS);
        return shortest.isNegative() ? Duration.ZERO : shortest;
    }

    private static boolean constantTimeEquals(String presented, String expected) {
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    // The flights are keyed by a digest, so a heap dump of the map shows no refresh token among its keys.
    private static String digest(RefreshToken token) {
        return sha256(token.value());
    }

    private static String sha256(String value) {
        try {
            return ENCODER.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }

    private static final class Flight {
        private final CompletableFuture<Renewal> result = new CompletableFuture<>();
        private volatile Instant landedAt;

        void land(Renewal renewal, Instant at) {
            landedAt = at;
            result.complete(renewal);
        }

        boolean isStale(Instant now, Duration grace) {
            Instant landed = landedAt;
            return landed != null && !now.isBefore(landed.plus(grace));
        }
    }
}
