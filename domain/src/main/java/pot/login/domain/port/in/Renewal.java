package pot.login.domain.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import pot.login.domain.AccessToken;
import pot.login.domain.Rejection;
import pot.login.domain.SessionCookie;

/** What became of a session that may need renewing. */
public sealed interface Renewal {

    /**
     * A session whose access token was verified.
     *
     * @param subject   the verified token's {@code sub}
     * @param expiresAt the verified token's {@code exp}
     */
    record Current(AccessToken token, String subject, Instant expiresAt) {
        public Current {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** Nothing to do: the access token is fresh, or there is nothing to renew from. Go on as before. */
    record NotNeeded() implements Renewal {
    }

    /**
     * The provider could not renew now, but the access token has not expired: go on with it, and a later request tries
     * again. Renewing early is a courtesy to requests under way; an outage is no reason to fail a valid session.
     *
     * @param detail a short, safe explanation for logs; never a token
     */
    record Postponed(Rejection reason, String detail) implements Renewal {
        public Postponed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Renewed: go on with the new token, and set both cookies.
     *
     * @param session       the new access cookie (step 8's cookie, with the new token)
     * @param refreshCookie the new refresh cookie, sealing the rotated refresh token (or the same one, re-sealed)
     */
    record Renewed(Current current, SessionCookie session, SessionCookie refreshCookie) implements Renewal {
        public Renewed {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(refreshCookie, "refreshCookie");
        }
    }

    /**
     * The session is over (refresh refused, lifetime reached, new token not trusted): clear these cookies.
     *
     * @param detail a short, safe explanation for logs; never a token
     */
    record Ended(List<SessionCookie> cleared, String detail) implements Renewal {
        public Ended {
            cleared = List.copyOf(cleared);
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The provider could not renew now; the cookies stay as they are and a later request tries again.
     *
     * @param detail a short, safe explanation for logs; never a token
     */
    record Unavailable(Rejection reason, String detail) implements Renewal {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
