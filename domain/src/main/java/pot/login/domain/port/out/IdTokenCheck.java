package pot.login.domain.port.out;

/** The check of an ID token that refused it (OIDC Core §3.1.3.7), for the log: never the token. */
public enum IdTokenCheck {
    /** Not a JWT at all, or claims that do not parse. */
    MALFORMED,
    /** Not signed, or signed with an algorithm other than the provider's RS256. */
    ALGORITHM,
    /** No key of the provider's has the token's key id. */
    UNKNOWN_KEY,
    /** The signature does not match the provider's key. */
    SIGNATURE,
    /** {@code iss} is not exactly the provider's. */
    ISSUER,
    /** {@code aud} does not contain our client id. */
    AUDIENCE,
    /** {@code azp} is not our client id, or is missing while {@code aud} names several clients. */
    AUTHORIZED_PARTY,
    /** {@code exp} is missing or past. */
    EXPIRY,
    /** {@code iat} is missing or further ahead than the allowed clock skew. */
    ISSUED_AT,
    /** No {@code sub}. */
    SUBJECT
}
