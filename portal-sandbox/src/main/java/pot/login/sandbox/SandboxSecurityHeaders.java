package pot.login.sandbox;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Headers every response of the portal carries, Micronaut's own error responses included. Pages set a richer
 * Content-Security-Policy and Cache-Control of their own, which are kept.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class SandboxSecurityHeaders {

    @ResponseFilter
    void addTo(MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        // Not no-referrer: with it Chromium sends "Origin: null" on the login form's POST, which Micronaut's guard
        // against drive-by-localhost requests refuses (403). same-origin still sends nothing to another site.
        response.header("Referrer-Policy", "same-origin");
        if (!response.getHeaders().contains("Content-Security-Policy")) {
            response.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        }
        if (!response.getHeaders().contains("Cache-Control")) {
            response.header("Cache-Control", "no-store");
        }
    }
}
