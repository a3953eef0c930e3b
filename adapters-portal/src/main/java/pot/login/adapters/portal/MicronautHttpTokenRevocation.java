package pot.login.adapters.portal;

import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.RefreshToken;
import pot.login.domain.RevocableToken;
import pot.login.domain.port.out.TokenRevocation;

/**
 * RFC 7009 over Micronaut's HTTP client: the refresh and access tokens are revoked at sign-out, form-encoded, each
 * with its {@code token_type_hint} (§2.1), with the same client authentication as the token request. On the
 * portal's client, so its connect and read timeouts bound the wait; never retried. A failure is one WARN line with
 * the hint and the status or the transport's class, never the token or the secret.
 */
public final class MicronautHttpTokenRevocation implements TokenRevocation {

    private static final Logger LOG = LoggerFactory.getLogger(MicronautHttpTokenRevocation.class);

    private final HttpClient portal;
    private final URI revocationEndpoint;
    private final TokenRequestSettings client;

    /**
     * @param revocationEndpoint the provider's {@code revocation_endpoint}, absolute
     * @param client             whose client id and secret, sent as for the token endpoint
     */
    public MicronautHttpTokenRevocation(HttpClient portal, URI revocationEndpoint, TokenRequestSettings client) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.revocationEndpoint = ProviderEndpoints.requireHttpUrl(
                Objects.requireNonNull(revocationEndpoint, "revocationEndpoint"), "revocation endpoint");
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public void revoke(RevocableToken token) {
        String hint = switch (token) {
            case AccessToken access -> "access_token";
            case RefreshToken refresh -> "refresh_token";
        };
        try {
            portal.toBlocking().exchange(request(token, hint));
            LOG.debug("token revoked at sign-out: token_type_hint={}", hint);
        } catch (HttpClientResponseException e) {
            // RFC 7009 §2.2: 200 even for a token already invalid, so any other answer is worth a look.
            LOG.warn("token revocation at sign-out refused: token_type_hint={} status={}", hint, e.code());
        } catch (HttpClientException e) {
            LOG.warn("token revocation at sign-out failed: token_type_hint={} {}", hint, e.getClass().getSimpleName());
        } catch (RuntimeException e) {
            LOG.warn("token revocation at sign-out failed: token_type_hint={} {}", hint, e.getClass().getName());
        }
    }

    private MutableHttpRequest<Map<String, String>> request(RevocableToken token, String hint) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token.value());
        form.put("token_type_hint", hint);
        return ClientAuthenticatedPost.to(revocationEndpoint, form, client);
    }
}
