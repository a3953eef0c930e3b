package pot.login.domain.port.out;

import java.time.Instant;
import pot.login.domain.SessionId;

/**
 * The sessions that were signed out before their token expired, so that a copy of the session cookie (another tab, a
 * stolen cookie, a back-up of the browser profile) is refused after sign-out. A signed token cannot be withdrawn, so
 * the server has to remember it; an entry is needed only until the token's own expiry, after which the token is
 * refused anyway. Implementations shared by several app instances make the sign-out hold on all of them.
 */
public interface SignedOutSessions {

    /**
     * Records that the session is over. Remembering a session twice is no error.
     *
     * @param session the session's id (a digest of its token), never the token
     * @param until   when the session's token expires; the entry may be forgotten after that
     * @return {@link RememberResult.Remembered}, or {@link RememberResult.Unavailable} when the store cannot answer
     *         (never an exception)
     */
    RememberResult remember(SessionId session, Instant until);

    /**
     * @return {@link SignOutCheck.SignedOut} for a session remembered (and not yet past its expiry),
     *         {@link SignOutCheck.NotSignedOut} otherwise, {@link SignOutCheck.Unavailable} when the store cannot
     *         answer (never an exception)
     */
    SignOutCheck check(SessionId session);

    /**
     * This store, answering {@code Unavailable} where it throws instead: a store that throws is down all the same, and
     * the flow fails closed on it, never with a 500. Only the exception's class is kept: its message may name a key.
     */
    static SignedOutSessions failingClosed(SignedOutSessions store) {
        return new SignedOutSessions() {
            @Override
            public RememberResult remember(SessionId session, Instant until) {
                try {
                    return store.remember(session, until);
                } catch (RuntimeException storeFailure) {
                    return new RememberResult.Unavailable("the store threw " + storeFailure.getClass().getName());
                }
            }

            @Override
            public SignOutCheck check(SessionId session) {
                try {
                    return store.check(session);
                } catch (RuntimeException storeFailure) {
                    return new SignOutCheck.Unavailable("the store threw " + storeFailure.getClass().getName());
                }
            }
        };
    }
}
