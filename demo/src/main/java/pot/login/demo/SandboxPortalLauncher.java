package pot.login.demo;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.app.Application;
import pot.login.app.PotLoginConfiguration;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * In the sandbox setup, starts the local portal before the app serves, with this app registered as its client from
 * the app's own settings, so the two can never disagree. The portal runs in its own application context and server,
 * on its own site (127.0.0.1), as the real portal is on another site than the app. Set
 * {@code pot-login.sandbox.start=false} to use a sandbox started on its own ({@code ./run-sandbox}) instead.
 */
@Context
@Requires(env = Application.SANDBOX)
@Requires(notEnv = Application.PRODUCTION)
@Requires(property = PotLoginConfiguration.SANDBOX_START, notEquals = "false")
class SandboxPortalLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPortalLauncher.class);

    private final PortalSandbox sandbox;

    SandboxPortalLauncher(PotLoginConfiguration config) {
        URI apiRoot = config.apiRoot();
        SandboxSettings settings = SandboxSettings.defaults()
                .withHost(apiRoot.getHost())
                .withPort(apiRoot.getPort())
                .withIssuer(config.issuerOrDefault())
                .withClients(List.of(new RegisteredClient(config.clientId(), config.clientSecret(),
                        List.of(config.redirectUri().toString()))));
        // The sandbox's context sees this JVM's classpath: switch the app's own beans off inside it.
        this.sandbox = PortalSandbox.start(settings, Map.of(PotLoginConfiguration.ENABLED, false));
    }

    @EventListener
    void onStartup(ServerStartupEvent event) {
        LOG.info("pot-login demo: open {} and sign in as demo / demo (sandbox portal at {})",
                event.getSource().getURI(), sandbox.uri());
    }

    @PreDestroy
    void stop() {
        sandbox.close();
    }
}
