package pot.login.domain.port.in;

import pot.login.domain.SessionCookie;

/** The user signs out: the session cookie is replaced by an expired one with the same attributes. */
public interface SignOut {

    SessionCookie signOut();
}
