package pot.login.adapters.http;

import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Headers every response of this app carries. The policy allows no script, no inline style, no framing and forms
 * only to this site: the pages need none of those, so an injected tag can do nothing.
 *
 * <p>Two paths reach the browser: responses that pass the filter chain get the headers here; a request that Netty
 * could not decode (a malformed or oversized request line or header block) never enters the chain, and gets them
 * from {@link ProblemErrorResponseProcessor}, which renders every error.
 */
// Outermost: without @Order a filter runs innermost (LOWEST_PRECEDENCE) and misses what the filters around it answer
// by themselves, such as the 403 of Micronaut's CORS filter for a cross-site request to a server on localhost.
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Order(Ordered.HIGHEST_PRECEDENCE)
class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final StrictTransportSecurity strictTransportSecurity;

    SecurityHeaders(StrictTransportSecurity strictTransportSecurity) {
        this.strictTransportSecurity = strictTransportSecurity;
    }

    @ResponseFilter
    void addTo(MutableHttpResponse<?> response) {
        var headers = response.getHeaders();
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        if (!headers.contains("Referrer-Policy")) {
            headers.set("Referrer-Policy", "same-origin");
        }
        if (strictTransportSecurity.isSent()) {
            headers.set("Strict-Transport-Security", strictTransportSecurity.value());
        }
    }
}
