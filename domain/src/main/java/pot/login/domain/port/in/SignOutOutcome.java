package pot.login.domain.port.in;

import java.net.URI;
import java.util.Objects;
import pot.login.domain.SessionCookie;

/** What a sign-out did: the browser's cookie is cleared either way; whether the server will refuse a copy of it. */
public sealed interface SignOutOutcome {

    /** The cookie to send: expired, so that this browser drops it. */
    SessionCookie clearedCookie();

    /** Where the browser goes next: our home page, or the provider's end-session endpoint. */
    URI continueAt();

    /** The same outcome, with the browser sent on to the provider. */
    SignOutOutcome continuingAt(URI next);

    /** The ID-token cookie, expired: it goes with the session it belonged to. */
    default SessionCookie clearedIdTokenCookie() {
        return SessionCookie.cleared(SessionCookie.idTokenCookieName(clearedCookie().name()));
    }

    /** The session is over on the server too: a copy of the cookie is refused from now on. */
    record Ended(SessionCookie clearedCookie, URI continueAt) implements SignOutOutcome {
        public Ended {
            Objects.requireNonNull(clearedCookie, "clearedCookie");
            Objects.requireNonNull(continueAt, "continueAt");
        }

        public Ended(SessionCookie clearedCookie) {
            this(clearedCookie, HOME);
        }

        @Override
        public SignOutOutcome continuingAt(URI next) {
            return new Ended(clearedCookie, next);
        }
    }

    /**
     * Only this browser's cookie is cleared: the store could not record the sign-out, so a copy of the cookie would
     * still be accepted until the token expires.
     *
     * @param detail a short, safe explanation for logs; never the token or its id
     */
    record CookieClearedOnly(SessionCookie clearedCookie, String detail, URI continueAt) implements SignOutOutcome {
        public CookieClearedOnly {
            Objects.requireNonNull(clearedCookie, "clearedCookie");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(continueAt, "continueAt");
        }

        public CookieClearedOnly(SessionCookie clearedCookie, String detail) {
            this(clearedCookie, detail, HOME);
        }

        @Override
        public SignOutOutcome continuingAt(URI next) {
            return new CookieClearedOnly(clearedCookie, detail, next);
        }
    }

    /** Our home page, where a sign-out that stays here ends. */
    URI HOME = URI.create("/");
}
