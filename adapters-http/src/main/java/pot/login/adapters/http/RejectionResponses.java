package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import pot.login.domain.Rejection;

/** Where each domain rejection becomes an HTTP status and words a person can act on. */
final class RejectionResponses {

    private RejectionResponses() {
    }

    static MutableHttpResponse<?> respond(HttpRequest<?> request, Rejection reason) {
        return Problems.respond(request, status(reason), reason.code(), title(reason), detail(reason));
    }

    /**
     * Client-caused rejections are 400s; a failing portal is a 502, or a 504 when it was too slow; our own store being
     * down is a 503 (RFC 9110 §15.6.4: the server cannot handle the request now, and may later).
     */
    static HttpStatus status(Rejection reason) {
        if (reason == Rejection.PORTAL_TIMEOUT) {
            return HttpStatus.GATEWAY_TIMEOUT;
        }
        return switch (reason.cause()) {
            case CLIENT -> HttpStatus.BAD_REQUEST;
            case PORTAL -> HttpStatus.BAD_GATEWAY;
            case STORE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    static String title(Rejection reason) {
        return switch (reason) {
            case STATE_INVALID -> "This sign-in link is not valid";
            case STATE_EXPIRED -> "This sign-in took too long";
            case STATE_FROM_FUTURE -> "This sign-in link is not valid yet";
            case STATE_NOT_BOUND -> "This sign-in was started in another browser";
            case STATE_REPLAYED -> "This sign-in link was already used";
            case ISSUER_MISMATCH -> "This answer did not come from our login portal";
            case LOGIN_CANCELLED -> "Sign-in was cancelled";
            case LOGIN_FAILED -> "The login portal could not sign you in";
            case CODE_MISSING -> "The login portal sent an incomplete answer";
            case CODE_REJECTED -> "The login portal refused this sign-in";
            case CLIENT_REJECTED -> "This site is not set up correctly with the login portal";
            case PORTAL_UNAVAILABLE -> "The login portal is not reachable";
            case PORTAL_TIMEOUT -> "The login portal did not answer in time";
            case PORTAL_BAD_RESPONSE -> "The login portal gave an answer we could not use";
            case STORE_UNAVAILABLE -> "Sign-in is unavailable for a moment";
        };
    }

    static String detail(Rejection reason) {
        return switch (reason) {
            case STATE_INVALID, STATE_FROM_FUTURE, CODE_MISSING, CODE_REJECTED ->
                    "Nobody was signed in. Please start again from the sign-in button.";
            case STATE_EXPIRED -> "Nobody was signed in. Please start again from the sign-in button, and finish within "
                    + "a few minutes.";
            case STATE_NOT_BOUND -> "Nobody was signed in. A sign-in must finish in the browser that started it; if "
                    + "someone sent you this link, do not use it. Please start again from the sign-in button.";
            case STATE_REPLAYED, ISSUER_MISMATCH -> "Nobody was signed in. Please start again from the sign-in button.";
            case LOGIN_CANCELLED -> "You cancelled at the login portal, so nobody was signed in.";
            case LOGIN_FAILED -> "The login portal reported an error, so nobody was signed in. Please try again.";
            case CLIENT_REJECTED -> "Nobody was signed in. The site's operators have to fix its settings.";
            case PORTAL_UNAVAILABLE, PORTAL_TIMEOUT, PORTAL_BAD_RESPONSE ->
                    "Nobody was signed in. Please try again in a moment.";
            case STORE_UNAVAILABLE -> "Nobody was signed in. Please reload this page in a moment to finish signing in.";
        };
    }
}
