package pot.login.adapters.portal;

import java.net.URI;
import java.util.Objects;
import pot.login.domain.Secret;
import pot.login.domain.flow.LoginSettings;

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
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(authentication, "authentication");
        PortalPaths.requireRelative(tokenPath, "token path");
        // The flow's own checks: the same client and redirect URI as in the authorize URL, held to the same rule.
        LoginSettings.checkClientId(clientId);
        LoginSettings.checkRedirectUri(redirectUri);
    }
}
