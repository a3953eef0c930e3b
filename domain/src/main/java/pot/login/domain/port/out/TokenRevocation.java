package pot.login.domain.port.out;

import pot.login.domain.AccessToken;

/**
 * Asks the provider to revoke a token (RFC 7009) when its user signs out. Best effort: the sign-out of our own session
 * has already happened and never waits for this answer, so the adapter bounds the call, logs a failure without the
 * token, and neither throws nor reports back.
 */
public interface TokenRevocation {

    void revoke(AccessToken token);
}
