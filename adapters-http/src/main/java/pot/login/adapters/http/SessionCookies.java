package pot.login.adapters.http;

import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import pot.login.domain.SessionCookie;

/** Writes the domain's session cookie decision as a Micronaut cookie, attribute for attribute. */
final class SessionCookies {

    private SessionCookies() {
    }

    static Cookie toCookie(SessionCookie session) {
        return Cookie.of(session.name(), session.value())
                .httpOnly(SessionCookie.HTTP_ONLY)
                .secure(SessionCookie.SECURE)
                .sameSite(SameSite.valueOf(SessionCookie.SAME_SITE))
                .path(SessionCookie.PATH)
                .maxAge(session.maxAge());
    }
}
