package pot.login.adapters.http;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Headers every response of this app carries. The policy allows no script, no inline style, no framing and forms
 * only to this site: the pages need none of those, so an injected tag can do nothing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ResponseFilter
    void addTo(MutableHttpResponse<?> response) {
        var headers = response.getHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        if (!headers.contains("Referrer-Policy")) {
            headers.set("Referrer-Policy", "same-origin");
        }
    }
}
