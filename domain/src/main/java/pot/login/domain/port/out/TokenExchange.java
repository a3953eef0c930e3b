package pot.login.domain.port.out;

import java.util.Optional;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;

/**
 * Step 7: trade the authorization code for the login token, server to server, with this client's credentials.
 * An implementation authenticates as the client and sends the redirect URI that the code was issued for; it never
 * retries on its own, because a code is single use. It answers every outcome, an unreachable portal included, as an
 * {@link ExchangeResult}, never with an exception.
 */
public interface TokenExchange {

    /**
     * @param codeVerifier the PKCE code verifier (RFC 7636) of this login, or empty when PKCE is off
     */
    ExchangeResult exchange(AuthorizationCode code, Optional<CodeVerifier> codeVerifier);
}
