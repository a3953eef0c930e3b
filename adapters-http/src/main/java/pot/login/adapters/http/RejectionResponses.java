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
     * A signed-in session that could not be renewed now (ADR-0007): the status and code of the same rejection at
     * sign-in, but the words say the session is kept, since the cookies are left as they are.
     */
    static MutableHttpResponse<?> respondDuringRenewal(HttpRequest<?> request, Rejection reason) {
        return Problems.respond(request, status(reason), reason.code(), title(reason),
                "You are still signed in, but your session could not be renewed just now. " + remedy(reason).sentence);
    }

    /**
     * A signed-in session whose user could not be looked up or checked now (the portal or the store is down): the
     * words of a sign-in that failed ("Nobody was signed in") would be wrong, since the session and its cookies stay.
     */
    static MutableHttpResponse<?> respondToSession(HttpRequest<?> request, Rejection reason) {
        return Problems.respond(request, status(reason), reason.code(), title(reason),
                "You are still signed in, but who you are could not be checked just now. " + remedy(reason).sentence);
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

    /** What the person who sees the page can do about it. */
    enum Remedy {
        /** This sign-in went wrong (a stale, replayed or cancelled link): a new one from the start works. */
        START_AGAIN("Please start again from the sign-in button."),
        /** Something we depend on is down or slow for now: the same steps work once it is back. */
        TRY_AGAIN_LATER("Please try again in a moment."),
        /** Every sign-in will fail the same way until this service's settings (or its portal's) are fixed. */
        TELL_THE_OPERATOR("This service cannot sign you in as it is set up now; please tell its operator, with the "
                + "error code below.");

        final String sentence;

        Remedy(String sentence) {
            this.sentence = sentence;
        }
    }

    /**
     * The one place that says, per code, whether trying again can help. A portal that answers, but with a token that
     * fails our checks (another audience, issuer or key) or a document we cannot read, answers the same way next time:
     * that is configuration. So is an {@code iss} on the callback that is not the configured issuer (a mix-up attack
     * is possible, but a wrong issuer setting is what fails every sign-in), and a state from the future, which only our
     * own instances sign: their clocks disagree.
     */
    static Remedy remedy(Rejection reason) {
        return switch (reason) {
            case STATE_INVALID, STATE_EXPIRED, STATE_NOT_BOUND, STATE_REPLAYED, LOGIN_CANCELLED, LOGIN_FAILED,
                 CODE_MISSING, CODE_REJECTED -> Remedy.START_AGAIN;
            case PORTAL_UNAVAILABLE, PORTAL_TIMEOUT, STORE_UNAVAILABLE -> Remedy.TRY_AGAIN_LATER;
            case STATE_FROM_FUTURE, ISSUER_MISMATCH, CLIENT_REJECTED, PORTAL_BAD_RESPONSE -> Remedy.TELL_THE_OPERATOR;
        };
    }

    /** What happened, where the title does not say it all, then the remedy. */
    static String detail(Rejection reason) {
        String happened = switch (reason) {
            case STATE_EXPIRED -> "Nobody was signed in. A sign-in must finish within a few minutes.";
            case STATE_NOT_BOUND -> "Nobody was signed in. A sign-in must finish in the browser that started it; if "
                    + "someone sent you this link, do not use it.";
            case LOGIN_CANCELLED -> "You cancelled at the login portal, so nobody was signed in.";
            case LOGIN_FAILED -> "The login portal reported an error, so nobody was signed in.";
            case STORE_UNAVAILABLE -> "Nobody was signed in yet: reloading this page finishes signing in.";
            case STATE_INVALID, STATE_FROM_FUTURE, STATE_REPLAYED, ISSUER_MISMATCH, CODE_MISSING, CODE_REJECTED,
                 CLIENT_REJECTED, PORTAL_UNAVAILABLE, PORTAL_TIMEOUT, PORTAL_BAD_RESPONSE -> "Nobody was signed in.";
        };
        return happened + " " + remedy(reason).sentence;
    }
}
