package pot.login.domain.port.in;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.FlowCookie;
import pot.login.domain.IdToken;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;
import pot.login.domain.SessionCookie;

/** How a callback ended: signed in, or refused with a reason. Nothing in between. */
public sealed interface LoginOutcome {

    /** The login's id for logs, or empty when the state could not be read. */
    String loginId();

    /** Flow cookies to clear: a login's flow cookie is spent once its callback has been judged. */
    List<FlowCookie> spentFlows();

    /**
     * @param session  the cookie to set
     * @param landing  where the browser goes next
     * @param subject  who signed in (the token's {@code sub}), for the log
     * @param idTokenCookie the ID token kept for a sign-out at the provider ({@code id_token_hint}); empty without
     *                      OpenID Connect, or when the token is too large for a cookie
     * @param refreshCookie the encrypted refresh cookie to set too (ADR-0007), empty when the provider issued no
     *                      refresh token
     */
    record Completed(SessionCookie session, ReturnPath landing, String subject, String loginId,
                     List<FlowCookie> spentFlows, Optional<SessionCookie> idTokenCookie,
                     Optional<SessionCookie> refreshCookie) implements LoginOutcome {
        public Completed {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(idTokenCookie, "idTokenCookie");
            Objects.requireNonNull(refreshCookie, "refreshCookie");
            Objects.requireNonNull(landing, "landing");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(loginId, "loginId");
            spentFlows = List.copyOf(spentFlows);
        }

        /** A sign-in with neither a kept ID token nor a refresh cookie, as with Platform of Trust's portal. */
        public Completed(SessionCookie session, ReturnPath landing, String subject, String loginId,
                         List<FlowCookie> spentFlows) {
            this(session, landing, subject, loginId, spentFlows, Optional.empty(), Optional.empty());
        }

        /**
         * The same sign-in, keeping its verified ID token in a cookie like the session's, for as long as the session:
         * with a refresh cookie, as long as that one, so that a renewed session still has its hint at sign-out. Not kept when it would push the cookie past the 4096 bytes browsers are required to store (RFC 6265
         * §6.1): the sign-out then sends no hint, which the spec allows.
         */
        public Completed keepingIdToken(IdToken idToken) {
            String name = SessionCookie.idTokenCookieName(session.name());
            if (name.length() + idToken.value().length() > MAX_COOKIE_BYTES) {
                return this;
            }
            return new Completed(session, landing, subject, loginId, spentFlows,
                    Optional.of(new SessionCookie(name, idToken.value(),
                            refreshCookie.map(SessionCookie::maxAge).orElse(session.maxAge()))), refreshCookie);
        }

        /** Name, value and attributes of one cookie, with room for the attributes within RFC 6265's 4096. */
        private static final int MAX_COOKIE_BYTES = 3900;
    }

    /**
     * @param reason why, with its stable code
     * @param detail a short, safe explanation for logs; never a secret, a code or a token
     */
    record Rejected(Rejection reason, String detail, String loginId, List<FlowCookie> spentFlows)
            implements LoginOutcome {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            Objects.requireNonNull(loginId, "loginId");
            spentFlows = List.copyOf(spentFlows);
        }
    }
}
