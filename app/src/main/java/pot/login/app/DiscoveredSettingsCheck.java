package pot.login.app;

import static pot.login.app.PotLoginConfiguration.named;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pot.login.adapters.portal.ClientAuthentication;
import pot.login.adapters.portal.ProviderEndpoints;

/**
 * Our settings against what the provider's discovery document says it supports. A disagreement would fail every
 * login at the provider, after the user signed in there: it is better told once, at start, naming the setting. A
 * capability the document does not list is not held against us (OIDC Discovery 1.0 §3 makes the lists optional).
 */
final class DiscoveredSettingsCheck {

    private DiscoveredSettingsCheck() {
    }

    static List<String> problems(boolean pkce, ClientAuthentication authentication, ProviderEndpoints provider) {
        List<String> problems = new ArrayList<>();
        List<String> challenges = provider.codeChallengeMethods();
        if (pkce && !challenges.isEmpty() && !challenges.contains("S256")) {
            problems.add(named(PotLoginConfiguration.PKCE) + " is true but the provider's "
                    + "code_challenge_methods_supported has no S256: " + challenges);
        }
        String method = authentication.name().toLowerCase(Locale.ROOT);
        List<String> methods = provider.tokenEndpointAuthMethods();
        if (!methods.isEmpty() && !methods.contains(method)) {
            problems.add(named(PotLoginConfiguration.CLIENT_AUTHENTICATION) + " is " + method
                    + " but the provider's token_endpoint_auth_methods_supported is " + methods);
        }
        return problems;
    }
}
