package pot.login.domain.port.in;

import java.time.Instant;
import pot.login.domain.AccessToken;
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

    /** Clears the cookie of a request that carries no valid session, or one that is already over. */
    SessionCookie signOut();
}
