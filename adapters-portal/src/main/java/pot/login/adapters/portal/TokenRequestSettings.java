package pot.login.adapters.portal;

import java.net.URI;
import java.util.Objects;
import pot.login.domain.Secret;
import pot.login.domain.flow.LoginSettings;

/**
 * What the token request of step 7 sends besides the code. {@code toString()} is safe to log: {@link Secret} hides
 * its value.
 *
 * @param tokenEndpoint  the token endpoint: a path below the portal's API root, e.g.
 *                       {@code /api/auth/v1/oauth/token/request}, or the absolute URI a provider's discovery document
 *                       names (it may be on another host than the API root)
 * @param clientId       this app's client id at the portal
 * @param clientSecret   this app's client secret at the portal
 * @param redirectUri    the redirect URI the code was issued for, exactly as sent in step 3
 * @param authentication how the client id and secret are sent
 */
public record TokenRequestSettings(URI tokenEndpoint, String clientId, Secret clientSecret, URI redirectUri,
                                   ClientAuthentication authentication) {

    public TokenRequestSettings {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(authentication, "authentication");
        if (tokenEndpoint.isAbsolute()) {
            ProviderEndpoints.requireHttpUrl(tokenEndpoint, "token endpoint");
        } else {
            PortalPaths.requireRelative(tokenEndpoint.toString(), "token path");
        }
        // The flow's own checks: the same client and redirect URI as in the authorize URL, held to the same rule.
        LoginSettings.checkClientId(clientId);
        LoginSettings.checkRedirectUri(redirectUri);
    }

    /** A configured token path, which must stay on the portal's API root. */
    public TokenRequestSettings(String tokenPath, String clientId, Secret clientSecret, URI redirectUri,
                                ClientAuthentication authentication) {
        this(pathOnThePortal(tokenPath), clientId, clientSecret, redirectUri, authentication);
    }

    /** A configured token path as a relative URI, refused unless it stays on the portal's API root. */
    public static URI pathOnThePortal(String tokenPath) {
        Objects.requireNonNull(tokenPath, "tokenPath");
        PortalPaths.requireRelative(tokenPath, "token path");
        return URI.create(tokenPath);
    }
}
