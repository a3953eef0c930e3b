package pot.login.domain.session;

import java.util.Objects;
import java.util.Optional;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.RefreshSignOut;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.in.Renewal;

/**
 * Sessions that end with their access token, as with Platform of Trust's portal (no refresh tokens) or when no
 * refresh-cookie keys are configured. Sign-out still clears a refresh cookie by that name, should one be left.
 */
public final class NoRenewal implements RenewSession {

    private final String refreshCookieName;

    public NoRenewal(String refreshCookieName) {
        this.refreshCookieName = Objects.requireNonNull(refreshCookieName, "refreshCookieName");
    }

    @Override
    public Renewal renew(Optional<Renewal.Current> current, Optional<String> refreshCookie) {
        return new Renewal.NotNeeded();
    }

    @Override
    public RefreshSignOut signOut(String refreshCookie) {
        return new RefreshSignOut.NothingToEnd();
    }

    @Override
    public SessionCookie clearedRefreshCookie() {
        return SessionCookie.cleared(refreshCookieName);
    }
}
