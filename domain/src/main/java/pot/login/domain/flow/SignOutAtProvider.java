package pot.login.domain.flow;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.SignOutOutcome;
import pot.login.domain.port.out.TokenRevocation;

/**
 * Sign-out that reaches the provider too: our session is ended first, so that it never depends on the provider;
 * then the token is revoked (RFC 7009) where that is on, and the browser is sent to the provider's end-session
 * endpoint (RP-Initiated Logout 1.0) where that is on. With neither, it is our sign-out alone.
 */
public final class SignOutAtProvider implements SignOut {

    private final SignOut ours;
    private final Optional<TokenRevocation> revocation;
    private final Optional<EndSession> endSession;

    public SignOutAtProvider(SignOut ours, Optional<TokenRevocation> revocation, Optional<EndSession> endSession) {
        this.ours = Objects.requireNonNull(ours, "ours");
        this.revocation = Objects.requireNonNull(revocation, "revocation");
        this.endSession = Objects.requireNonNull(endSession, "endSession");
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt) {
        return signOut(token, sessionEndsAt, Optional.empty());
    }

    @Override
    public SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint) {
        SignOutOutcome outcome = ours.signOut(token, sessionEndsAt);
        revocation.ifPresent(provider -> revokeQuietly(provider, token));
        if (endSession.isEmpty()) {
            return outcome;
        }
        // The hint puts the ID token in a URL (browser history, the provider's logs), and an ID token issued to us
        // passes every check a session token must pass: so it is signed out too, before it leaves, for the
        // session's lifetime. (An ID token that outlives the access token stays a session for the difference.)
        idTokenHint.ifPresent(idToken -> ours.signOut(new AccessToken(idToken.value()), sessionEndsAt));
        return outcome.continuingAt(endSession.get().uri(idTokenHint));
    }

    @Override
    public SessionCookie signOut() {
        return ours.signOut();
    }

    /** An adapter that throws instead of logging is still no reason to keep the user signed in. */
    private static void revokeQuietly(TokenRevocation provider, AccessToken token) {
        try {
            provider.revoke(token);
        } catch (RuntimeException ignored) {
            // The adapter's own log line is the record; its exception message may name the token.
        }
    }
}
