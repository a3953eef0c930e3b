package pot.login.domain.port.in;

import java.util.Optional;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.Renewal.Current;

/**
 * A request to a route that reads the session brings its cookies: renew the session if its access token has expired
 * or is about to, from the refresh cookie, within the session's absolute lifetime (ADR-0007).
 */
public interface RenewSession {

    /**
     * @param current      the session that the access cookie gave, already verified; empty when there was none or
     *                     it was refused (an expired token is refused before any of our code runs)
     * @param refreshCookie the refresh cookie's value as the browser sent it, empty when it sent none
     */
    Renewal renew(Optional<Current> current, Optional<String> refreshCookie);


    /**
     * Sign-out of the session behind a refresh cookie, whether or not its access token is still valid: the session is
     * recorded as signed out until its absolute lifetime is over, so that a copy of its refresh cookie renews
     * nothing (revocation at the provider is best effort, and a provider may have none), and its refresh token is
     * handed back for revocation.
     */
    RefreshSignOut signOut(String refreshCookie);

    /** The refresh cookie, emptied and expired: what sign-out sends (its name is the one to read, too). */
    SessionCookie clearedRefreshCookie();
}
