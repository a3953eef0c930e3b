package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import pot.login.domain.FlowCookie;
import pot.login.domain.IdToken;
import pot.login.domain.SessionCookie;

/** Writes the domain's cookie decisions as Micronaut cookies, attribute for attribute, and reads flow cookies back. */
final class BrowserCookies {

    private BrowserCookies() {
    }

    static Cookie toCookie(SessionCookie session) {
        return Cookie.of(session.name(), session.value())
                .httpOnly(SessionCookie.HTTP_ONLY)
                .secure(SessionCookie.SECURE)
                .sameSite(SameSite.valueOf(SessionCookie.SAME_SITE))
                .path(SessionCookie.PATH)
                .maxAge(session.maxAge());
    }

    static Cookie toCookie(FlowCookie flow) {
        return Cookie.of(flow.name(), flow.value())
                .httpOnly(FlowCookie.HTTP_ONLY)
                .secure(FlowCookie.SECURE)
                .sameSite(SameSite.valueOf(FlowCookie.SAME_SITE))
                .path(FlowCookie.PATH)
                .maxAge(flow.maxAge());
    }

    /** The ID token this browser kept next to the session cookie of that name, if it sent one. */
    static Optional<IdToken> idTokenOf(HttpRequest<?> request, String sessionCookieName) {
        return request.getCookies().findCookie(SessionCookie.idTokenCookieName(sessionCookieName))
                .map(Cookie::getValue)
                .filter(value -> !value.isBlank())
                .map(IdToken::new);
    }

    /** The flow cookies the browser sent, name to value; other cookies are not the flow's business. */
    static Map<String, String> flowCookiesOf(HttpRequest<?> request) {
        Map<String, String> flows = new LinkedHashMap<>();
        request.getCookies().getAll().stream()
                .filter(cookie -> FlowCookie.isFlowCookie(cookie.getName()))
                .forEach(cookie -> flows.put(cookie.getName(), cookie.getValue()));
        return flows;
    }
}
