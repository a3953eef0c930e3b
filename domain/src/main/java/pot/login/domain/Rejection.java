package pot.login.domain;

/**
 * Why a login did not complete. Each has a stable code that adapters show to clients and write to logs; the HTTP
 * status for each is chosen by the HTTP adapter, not here.
 */
public enum Rejection {
    /** The state is missing, malformed, signed with an unknown key, or its signature does not match. */
    STATE_INVALID("state_invalid", Cause.CLIENT),
    /** The state is authentic but older than the allowed maximum age. */
    STATE_EXPIRED("state_expired", Cause.CLIENT),
    /** The state says it was issued further in the future than the allowed clock skew. */
    STATE_FROM_FUTURE("state_from_future", Cause.CLIENT),
    /** The state is authentic but was not started in this browser: its flow cookie is missing or different. */
    STATE_NOT_BOUND("state_not_bound", Cause.CLIENT),
    /** The state was used before: a callback URL replayed from history, logs, or by an attacker. */
    STATE_REPLAYED("state_replayed", Cause.CLIENT),
    /** The callback's {@code iss} (RFC 9207) is not our portal's issuer: a mix-up, or a response from elsewhere. */
    ISSUER_MISMATCH("issuer_mismatch", Cause.CLIENT),
    /** The user cancelled at the portal ({@code error=access_denied}). */
    LOGIN_CANCELLED("login_cancelled", Cause.CLIENT),
    /** The portal reported another error on the callback. */
    LOGIN_FAILED("login_failed", Cause.CLIENT),
    /** The callback carries neither a usable code nor an error. */
    CODE_MISSING("code_missing", Cause.CLIENT),
    /** The portal refused the code ({@code invalid_grant} and the like): used, expired or never issued. */
    CODE_REJECTED("code_rejected", Cause.CLIENT),
    /** The portal refused our client credentials ({@code invalid_client}): this deployment is misconfigured. */
    CLIENT_REJECTED("client_rejected", Cause.PORTAL),
    /** The portal could not be reached. */
    PORTAL_UNAVAILABLE("portal_unavailable", Cause.PORTAL),
    /** The portal did not answer in time. */
    PORTAL_TIMEOUT("portal_timeout", Cause.PORTAL),
    /** The portal answered with something that is not a valid token response, or a token that fails verification. */
    PORTAL_BAD_RESPONSE("portal_bad_response", Cause.PORTAL),
    /**
     * The used-state store could not say whether the state was used before. The login fails closed: without that
     * answer a replayed callback could exchange its code, so the portal is not called and the state stays unused.
     */
    STORE_UNAVAILABLE("store_unavailable", Cause.STORE);

    /** Who is at fault: the browser's request, the portal (or our setup with it), or this app's own store. */
    public enum Cause { CLIENT, PORTAL, STORE }

    private final String code;
    private final Cause cause;

    Rejection(String code, Cause cause) {
        this.code = code;
        this.cause = cause;
    }

    public String code() {
        return code;
    }

    public Cause cause() {
        return cause;
    }
}
