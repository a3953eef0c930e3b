package pot.login.domain.port.in;

import java.time.Instant;
import java.util.Optional;
import pot.login.domain.AccessToken;
import pot.login.domain.IdToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.SessionCookie;

/** The user signs out: the session cookie is replaced by an expired one with the same attributes. */
public interface SignOut {

    /**
     * Ends the session on the server, so that a copy of its cookie is refused, and clears the cookie.
     *
     * @param token         the session's token, already verified by the adapter that read the cookie
     * @param sessionEndsAt when the token expires: the server remembers the sign-out until then
     */
    SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt);

    /**
     * The same, where the browser kept the session's ID token: a sign-out that continues at the provider passes it
     * as {@code id_token_hint}; one that stays here ignores it.
     */
    default SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint) {
        return signOut(token, sessionEndsAt);
    }

    /**
     * The same, where the browser also brought a refresh cookie that opened: a sign-out that reaches the provider
     * revokes that refresh token too (RFC 7009); one that stays here ignores it (the cookie is cleared either way).
     */
    default SignOutOutcome signOut(AccessToken token, Instant sessionEndsAt, Optional<IdToken> idTokenHint,
                                   Optional<RefreshToken> refreshToken) {
        return signOut(token, sessionEndsAt, idTokenHint);
    }

    /** Clears the cookie of a request that carries no valid session, or one that is already over. */
    SessionCookie signOut();

    /**
     * The same, where the access token had expired but a refresh cookie opened: that refresh token could still renew
     * the session, so a sign-out that reaches the provider revokes it.
     */
    default SessionCookie signOut(Optional<RefreshToken> refreshToken) {
        return signOut();
    }
}
