package pot.login.adapters.portal;

/** What a check of a token's signature found: for the log, and to tell a key outage from a forgery. */
public enum SignatureVerdict {
    VERIFIED,
    /** Signed with an algorithm other than the one the portal uses. */
    ALGORITHM,
    /** None of the portal's keys has the token's key id. */
    UNKNOWN_KEY,
    /** A key of the portal's was found, and the signature does not match it. */
    SIGNATURE,
    /** The JOSE header's {@code typ} is not the one required of an access token (RFC 9068 §4: {@code at+jwt}). */
    TOKEN_TYPE,
    /** The portal's keys could not be loaded: no token can be judged until they can. */
    KEYS_UNAVAILABLE
}
