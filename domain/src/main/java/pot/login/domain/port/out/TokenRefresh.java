package pot.login.domain.port.out;

import pot.login.domain.RefreshToken;

/**
 * RFC 6749 §6: trade a refresh token for a new access token at the token endpoint, with this client's credentials as
 * for the code. Never retried on its own: with rotation, a retry after a lost answer presents a token the provider has
 * already replaced. It answers every outcome as a {@link RefreshResult}, never with an exception.
 */
public interface TokenRefresh {

    RefreshResult refresh(RefreshToken token);
}
