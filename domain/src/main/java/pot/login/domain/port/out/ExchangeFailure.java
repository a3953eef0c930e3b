package pot.login.domain.port.out;

import pot.login.domain.Rejection;

/** The reasons a token exchange can fail for, and no others: an exchange knows nothing of states or stores. */
public enum ExchangeFailure {
    CODE_REJECTED(Rejection.CODE_REJECTED),
    CLIENT_REJECTED(Rejection.CLIENT_REJECTED),
    PORTAL_UNAVAILABLE(Rejection.PORTAL_UNAVAILABLE),
    PORTAL_TIMEOUT(Rejection.PORTAL_TIMEOUT),
    PORTAL_BAD_RESPONSE(Rejection.PORTAL_BAD_RESPONSE);

    private final Rejection rejection;

    ExchangeFailure(Rejection rejection) {
        this.rejection = rejection;
    }

    /** The login's rejection, with its stable code. */
    public Rejection rejection() {
        return rejection;
    }
}
