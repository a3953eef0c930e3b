package pot.login.domain.port.out;

/** The check of a token that refused it, for the log: it says which part was wrong, never the token. */
public enum TokenCheck {
    /** Not a JWT at all. */
    MALFORMED,
    /** Not signed, or signed with an algorithm we do not accept (only the portal's one is). */
    ALGORITHM,
    /** A header {@code typ} other than the access-token type required (RFC 9068 §4), where one is required. */
    TOKEN_TYPE,
    /** No key of the portal's has the token's key id. */
    UNKNOWN_KEY,
    /** The signature does not match the portal's key. */
    SIGNATURE,
    /** Another issuer, or none. */
    ISSUER,
    /** No {@code azp}, and an {@code aud} that does not name this client (or none). */
    AUDIENCE,
    /** An {@code azp} that names another client (or is blank, or not a string), whatever the {@code aud}. */
    AUTHORIZED_PARTY,
    /** Expired, or without an expiry (which would make a session that never ends). */
    EXPIRY,
    /** Not valid yet: its {@code nbf} is ahead. */
    NOT_YET_VALID,
    /** No subject: nobody to sign in. */
    SUBJECT,
    /** A claims check this adapter cannot name. */
    OTHER_CLAIM
}
