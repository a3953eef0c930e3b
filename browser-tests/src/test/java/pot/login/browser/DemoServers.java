package pot.login.browser;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;

/**
 * The app exactly as the demo runs it — the {@code sandbox} environment, which starts the sandbox portal itself
 * (the demo module's {@code SandboxPortalLauncher}) with this app registered as its client — only on free ports. The app is on
 * {@code localhost} and the portal on {@code 127.0.0.1}: two sites, so the round trip through the portal is
 * cross-site, as it is with the real portal.
 */
final class DemoServers implements AutoCloseable {

    private final EmbeddedServer app;
    private final URI portal;

    private DemoServers(EmbeddedServer app, URI portal) {
        this.app = app;
        this.portal = portal;
    }

    static DemoServers start() {
        int appPort = freePort();
        int portalPort = freePort();
        URI portal = URI.create("http://127.0.0.1:" + portalPort);
        // Only what differs from the demo: the ports. Client id, secret and state keys come from application-sandbox.yml.
        // On another port than its default the sandbox starts only when asked (pot-login.sandbox.start).
        Map<String, Object> settings = Map.of(
                "micronaut.server.port", appPort,
                "micronaut.server.host", "localhost",
                "pot-login.api-root", portal.toString(),
                "pot-login.sandbox.start", "true",
                "pot-login.redirect-uri", "http://localhost:" + appPort + "/login/complete");
        EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, settings, "sandbox");
        return new DemoServers(app, portal);
    }

    /** A URL on the app, always spelled with {@code localhost}, as the redirect URI and the cookies are. */
    URI app(String path) {
        return URI.create("http://localhost:" + app.getPort()).resolve(path);
    }

    URI portal() {
        return portal;
    }

    @Override
    public void close() {
        // Closing the app's context stops the sandbox portal it started (SandboxPortalLauncher's @PreDestroy).
        app.getApplicationContext().close();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
