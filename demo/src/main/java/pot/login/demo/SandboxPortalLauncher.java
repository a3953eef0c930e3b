package pot.login.demo;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.context.env.Environment;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import java.net.BindException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.app.Application;
import pot.login.app.PotLoginConfiguration;
import pot.login.app.StartFailure;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * In the sandbox setup, starts the local portal before the app serves, with this app registered as its client from
 * the app's own settings, so the two can never disagree. The portal runs in its own application context and server,
 * on its own site (127.0.0.1), as the real portal is on another site than the app. It starts only on the sandbox's
 * default API root or when {@code pot-login.sandbox.start=true}; {@code false} uses a sandbox started on its own
 * ({@code ./run-sandbox}) or another server instead.
 */
@Context
@Requires(env = Application.SANDBOX)
@Requires(notEnv = Application.PRODUCTION)
@Requires(condition = SandboxPortalLauncher.Wanted.class)
class SandboxPortalLauncher {

    /** The sandbox's own default address (application-sandbox.yml): the only API root it is started on unasked. */
    static final URI DEFAULT_API_ROOT = URI.create("http://127.0.0.1:8081");

    /**
     * Whether to start the sandbox: {@code pot-login.sandbox.start=true} always, {@code false} never, otherwise
     * ({@code auto}) only when the API root is the sandbox's default. An API root pointed at another server means
     * that server is the portal: starting a sandbox on its address would fail, or shadow it.
     */
    static boolean wanted(String start, URI apiRoot) {
        return switch (start.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> DEFAULT_API_ROOT.equals(apiRoot);
        };
    }

    static final class Wanted implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            Environment environment = context.getBeanContext().getBean(Environment.class);
            return wanted(environment.getProperty(PotLoginConfiguration.SANDBOX_START, String.class).orElse("auto"),
                    environment.getProperty(PotLoginConfiguration.API_ROOT, URI.class).orElse(null));
        }
    }

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
        try {
            this.sandbox = PortalSandbox.start(settings, Map.of(PotLoginConfiguration.ENABLED, false));
        } catch (RuntimeException e) {
            if (!bindFailure(e)) {
                throw e;
            }
            throw new StartFailure("the sandbox portal cannot listen on " + apiRoot.getHost() + ":"
                    + apiRoot.getPort() + " (pot-login.api-root, POT_LOGIN_API_ROOT), is the port in use? Stop what "
                    + "listens there, or set pot-login.sandbox.start=false to use a sandbox started on its own", e);
        }
    }

    private static boolean bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException) {
                return true;
            }
        }
        return false;
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
