package pot.login.sandbox;

import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * The portal's issuer identifier: the configured one, or else the base URI it listens on, which with port 0 is known
 * only once the server runs (hence the provider, asked per use).
 */
@Singleton
class Issuer {

    private final SandboxSettings settings;
    private final BeanProvider<EmbeddedServer> server;

    Issuer(SandboxSettings settings, BeanProvider<EmbeddedServer> server) {
        this.settings = settings;
        this.server = server;
    }

    String value() {
        return settings.issuer() != null ? settings.issuer() : server.get().getURI().toString();
    }
}
