package pot.login.adapters.portal;

import java.net.URI;
import java.util.Objects;
import pot.login.domain.Secret;

/**
 * What the token request of step 7 sends besides the code. {@code toString()} is safe to log: {@link Secret} hides
 * its value.
 *
 * @param tokenPath      the token endpoint below the portal's API root, e.g. {@code /api/auth/v1/oauth/token/request}
 * @param clientId       this app's client id at the portal
 * @param clientSecret   this app's client secret at the portal
 * @param redirectUri    the redirect URI the code was issued for, exactly as sent in step 3
 * @param authentication how the client id and secret are sent
 */
public record TokenRequestSettings(String tokenPath, String clientId, Secret clientSecret, URI redirectUri,
                                   ClientAuthentication authentication) {

    public TokenRequestSettings {
        Objects.requireNonNull(tokenPath, "tokenPath");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(authentication, "authentication");
        PortalPaths.requireRelative(tokenPath, "token path");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is not blank");
        }
        if (!redirectUri.isAbsolute() || redirectUri.getFragment() != null) {
            throw new IllegalArgumentException("the redirect URI is absolute and has no fragment: " + redirectUri);
        }
    }
}
