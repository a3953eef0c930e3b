package pot.login.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import pot.login.adapters.portal.ProviderEndpoints;

/**
 * With {@code pot-login.discovery}, reads the provider's discovery document before the app serves: a provider that
 * cannot be found, or that names another issuer, stops the start instead of failing the first user's login.
 */
@Context
@Requires(property = PotLoginConfiguration.DISCOVERY, value = "true")
class DiscoveryAtStart {

    DiscoveryAtStart(ProviderEndpoints endpoints) {
        // Made for its side effect: the endpoints bean, and with it the discovery request, exist from now on.
    }
}
