package pot.login.domain.port.in;

import java.util.Objects;
import pot.login.domain.SessionCookie;

/** What a sign-out did: the browser's cookie is cleared either way; whether the server will refuse a copy of it. */
public sealed interface SignOutOutcome {

    /** The cookie to send: expired, so that this browser drops it. */
    SessionCookie clearedCookie();

    /** The session is over on the server too: a copy of the cookie is refused from now on. */
    record Ended(SessionCookie clearedCookie) implements SignOutOutcome {
        public Ended {
            Objects.requireNonNull(clearedCookie, "clearedCookie");
        }
    }

    /**
     * Only this browser's cookie is cleared: the store could not record the sign-out, so a copy of the cookie would
     * still be accepted until the token expires.
     *
     * @param detail a short, safe explanation for logs; never the token or its id
     */
    record CookieClearedOnly(SessionCookie clearedCookie, String detail) implements SignOutOutcome {
        public CookieClearedOnly {
            Objects.requireNonNull(clearedCookie, "clearedCookie");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
