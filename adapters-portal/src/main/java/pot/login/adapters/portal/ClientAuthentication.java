package pot.login.adapters.portal;

/** How this client proves its identity at the token endpoint (RFC 6749 §2.3.1). */
public enum ClientAuthentication {
    /** {@code client_id} and {@code client_secret} in the form body: what Platform of Trust documented. */
    CLIENT_SECRET_POST,
    /** HTTP Basic with the form-urlencoded client id and secret; the secret stays out of the body. */
    CLIENT_SECRET_BASIC
}
