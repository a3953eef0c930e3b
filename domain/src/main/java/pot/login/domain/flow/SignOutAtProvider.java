package pot.login.domain.flow;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.RevocableToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.TokenRevocation;

/**
 * Sign-out that reaches the provider too: our session is ended first, so that it never depends on the provider;
 * then the refresh token and the access token are revoked (RFC 7009) where that is on, and the browser is sent to
 * the provider's end-session endpoint (RP-Initiated Logout 1.0) where that is on. With neither, it is our sign-out
 * alone.
 */
public final class SignOutAtProvider implements SignOut {

    private final SignOut ours;
    private final Optional<TokenRevocation> revocation;
    private final Optional<EndSession> endSession;
    private final IdTokenVerifier idTokenVerifier;
    private final Duration maxLifetime;
    private final Clock clock;

    /**
     * @param idTokenVerifier reads the verified {@code exp} of an ID token sent as the hint
     * @param maxLifetime     how long a hint is remembered as signed out when its {@code exp} cannot be verified
     */
    public SignOutAtProvider(SignOut ours, Optional<TokenRevocation> revocation, Optional<EndSession> endSession,
                             IdTokenVerifier idTokenVerifier, Duration maxLifetime, Clock clock) {
        this.ours = Objects.requireNonNull(ours, "ours");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.endSession = Objects.requireNonNull(endSession, "endSession");
        this.idTokenVerifier = Objects.requireNonNull(idTokenVerifier, "idTokenVerifier");
        this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("the session's max lifetime is not positive: " + maxLifetime);
        }
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt) {
        return signOut(token, sessionEndsAt, Optional.empty(), Optional.empty());
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint) {
        return signOut(token, sessionEndsAt, idTokenHint, Optional.empty());
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint,
                                  Optional<RefreshToken> refreshToken) {
        SignOutOutcome outcome = ours.signOut(token, sessionEndsAt);
        revocation.ifPresent(provider -> {
            // The refresh token first: it outlives the access token, and revoking it commonly revokes the access
            // tokens of its grant too (RFC 7009 §2.1).
            refreshToken.ifPresent(refresh -> revokeQuietly(provider, refresh));
            revokeQuietly(provider, token);
        });
        if (endSession.isEmpty()) {
            return outcome;
        }
        // The hint puts the ID token in a URL (browser history, the provider's logs), and an ID token issued to us
        // passes every check a session token must pass: so it is signed out too, before it leaves, for as long as
        // it would pass them.
        idTokenHint.ifPresent(idToken -> ours.signOut(new AccessToken(idToken.value()),
                hintPassesUntil(idToken, sessionEndsAt)));
        return outcome.continuingAt(endSession.get().uri(idTokenHint));
    }

    @Override
    public SessionCookie signOut() {
        return ours.signOut();
    }

    @Override
    public SessionCookie signOut(Optional<RefreshToken> refreshToken) {
        SessionCookie cleared = ours.signOut();
        // The access token has expired, but this refresh token would still renew the session.
        revocation.ifPresent(provider -> refreshToken.ifPresent(refresh -> revokeQuietly(provider, refresh)));
        return cleared;
    }

    /**
     * Until the hint's own verified {@code exp}, which may be later than the access token's: the provider's signature
     * vouches for it as it does for the access token's. A hint that fails verification (forged, foreign, expired)
     * passes no session check either. Only while the keys are unavailable is its {@code exp} unknown: then for
     * {@code maxLifetime}, so that a forged cookie cannot make an unbounded store entry.
     */
    private Instant hintPassesUntil(IdToken idToken, Instant sessionEndsAt) {
        return switch (verifiedQuietly(idToken)) {
            case IdTokenResult.Verified(IdTokenResult.VerifiedIdToken verified) -> verified.expiresAt();
            case IdTokenResult.Refused refused -> sessionEndsAt;
            case IdTokenResult.Unavailable unavailable -> clock.instant().plus(maxLifetime);
        };
    }

    private IdTokenResult verifiedQuietly(IdToken idToken) {
        try {
            return idTokenVerifier.verify(idToken);
        } catch (RuntimeException bug) {
            return new IdTokenResult.Unavailable("the ID-token verifier threw " + bug.getClass().getName());
        }
    }

    /** An adapter that throws instead of logging is still no reason to keep the user signed in. */
    private static void revokeQuietly(TokenRevocation provider, RevocableToken token) {
        try {
            provider.revoke(token);
        } catch (RuntimeException ignored) {
            // The adapter's own log line is the record; its exception message may name the token.
        }
    }
}
