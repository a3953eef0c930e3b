package pot.login.adapters.portal;

import io.micronaut.http.client.exceptions.ContentLengthExceededException;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.NoHostException;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.client.exceptions.ResponseClosedException;
import pot.login.domain.port.out.ExchangeFailure;

/**
 * A call to the portal that did not produce a usable answer, as a rejection and a detail that is safe to log: the
 * detail is written here, never copied from the portal's answer or from an exception message (which may carry the
 * request's URL or body).
 */
record PortalFailure(ExchangeFailure reason, String detail, int status) {

    /** No HTTP status: the failure happened before or while an answer arrived. */
    static final int NO_STATUS = 0;

    static PortalFailure badResponse(int status, String detail) {
        return new PortalFailure(ExchangeFailure.PORTAL_BAD_RESPONSE, detail, status);
    }

    /** An error status whose body told us nothing more. */
    static PortalFailure ofStatus(int status) {
        if (status >= 500) {
            return new PortalFailure(ExchangeFailure.PORTAL_UNAVAILABLE, "status " + status, status);
        }
        return badResponse(status, "unexpected status " + status);
    }

    /**
     * A failure of the transport, not of an HTTP answer (those are {@code HttpClientResponseException}s).
     *
     * @throws IllegalStateException when the client refused to run because it was called on an event loop thread:
     *                               that is a bug in this app, and reporting it as a portal outage would hide it
     */
    static PortalFailure ofTransport(HttpClientException e) {
        // Micronaut refuses a blocking call on a Netty event loop with a plain HttpClientException and this text.
        if (e.getMessage() != null && e.getMessage().contains("BlockingHttpClient operation on a netty event loop")) {
            throw new IllegalStateException("the portal was called on event loop thread "
                    + Thread.currentThread().getName() + ", which must never block; run the caller with "
                    + "@ExecuteOn(TaskExecutors.BLOCKING)", e);
        }
        if (e instanceof ReadTimeoutException) {
            return new PortalFailure(ExchangeFailure.PORTAL_TIMEOUT, "no answer within the read timeout", NO_STATUS);
        }
        if (e instanceof ContentLengthExceededException) {
            return badResponse(NO_STATUS, "answer larger than the client's max content length");
        }
        if (e instanceof ResponseClosedException) {
            return new PortalFailure(ExchangeFailure.PORTAL_UNAVAILABLE, "connection closed before the answer", NO_STATUS);
        }
        if (e instanceof NoHostException) {
            return new PortalFailure(ExchangeFailure.PORTAL_UNAVAILABLE, "no host configured for the portal", NO_STATUS);
        }
        // Connection refused, unknown host, connect timeout, TLS failure: all mean we could not reach the portal.
        return new PortalFailure(ExchangeFailure.PORTAL_UNAVAILABLE, "portal unreachable", NO_STATUS);
    }

    String statusText() {
        return status == NO_STATUS ? "none" : Integer.toString(status);
    }
}
