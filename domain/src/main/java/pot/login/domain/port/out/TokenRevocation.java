package pot.login.domain.port.out;

import pot.login.domain.RevocableToken;

/**
 * Asks the provider to revoke a token (RFC 7009) when its user signs out. Best effort: the sign-out of our own session
 * has already happened and never waits for this answer, so the adapter bounds the call, logs a failure without the
 * token, and neither throws nor reports back.
 */
public interface TokenRevocation {

    /** @param token an access or a refresh token; its kind is the request's {@code token_type_hint} */
    void revoke(RevocableToken token);
}
