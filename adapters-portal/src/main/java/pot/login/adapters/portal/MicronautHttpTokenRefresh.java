package pot.login.adapters.portal;

import io.micronaut.http.client.HttpClient;
import pot.login.domain.RefreshToken;
import pot.login.domain.port.out.RefreshResult;
import pot.login.domain.port.out.TokenRefresh;

/**
 * RFC 6749 §6 over Micronaut's HTTP client (ADR-0007): {@code grant_type=refresh_token} at the token endpoint of
 * step 7, with the same client authentication, and the answer held to the same checks ({@link
 * MicronautHttpTokenExchange} makes both requests). {@code invalid_grant} is {@link RefreshResult.Refused}: the
 * refresh token is expired, revoked or rotated away. Never retried: with rotation a retry presents a spent token.
 */
public final class MicronautHttpTokenRefresh implements TokenRefresh {

    private final MicronautHttpTokenExchange tokenEndpoint;

    /** @param portal as for {@link MicronautHttpTokenExchange}: bounded waits, no redirects */
    public MicronautHttpTokenRefresh(HttpClient portal, TokenRequestSettings settings) {
        this.tokenEndpoint = new MicronautHttpTokenExchange(portal, settings);
    }

    @Override
    public RefreshResult refresh(RefreshToken token) {
        return tokenEndpoint.refresh(token);
    }
}
