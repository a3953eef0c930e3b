package pot.login.adapters.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Holds every request to {@code micronaut.server.max-request-size}, on every route. Micronaut's Netty server checks
 * that limit only while something reads the body, and none of our routes reads one: a 10 MB {@code POST /logout}
 * used to be received in full, thrown away and answered 303. Here the body is read (through the same bounded buffer,
 * so at most the limit is ever held), and one over the limit, declared or chunked, fails with Micronaut's own
 * {@code ContentLengthExceededException}: a 413 {@code request_too_large} from {@link ProblemErrorResponseProcessor}.
 */
// Inside SecurityHeaders, so the 413 carries them; before security, so an oversized request is 413 on /me as well.
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class RequestBodyLimit {

    @RequestFilter
    void readWithinTheLimit(@Nullable @Body byte[] body) {
        // Binding the body is the check. Micronaut binds a filter's @Body from a split copy of the body, so a route
        // can still read the original.
    }
}
