package pot.login.app.system;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * The app and the sandbox portal as the demo runs them, each on its own server and site (app on localhost, portal on
 * 127.0.0.1), on free ports. The app is pointed at the portal only through configuration, as at a remote portal.
 */
public final class PotLoginWithSandbox implements AutoCloseable {

    public static final String CLIENT_ID = "system-test-client";
    public static final String CLIENT_SECRET = "system-test-client-secret-0123456789abcdef";
    public static final String STATE_KEY = "system-test-state-key-0123456789abcdef0123";

    public final PortalSandbox portal;
    public final EmbeddedServer app;
    private final Map<String, Object> appSettings;

    private PotLoginWithSandbox(PortalSandbox portal, EmbeddedServer app, Map<String, Object> appSettings) {
        this.portal = portal;
        this.app = app;
        this.appSettings = appSettings;
    }

    public static PotLoginWithSandbox start(Map<String, Object> extraAppSettings) {
        return start(extraAppSettings, UnaryOperator.identity());
    }

    /** As {@link #start(Map)}, with the app's API root chosen from the sandbox's (a {@link FaultyPortal} in front). */
    public static PotLoginWithSandbox start(Map<String, Object> extraAppSettings, UnaryOperator<URI> apiRoot) {
        return start(extraAppSettings, apiRoot, List.of());
    }

    /**
     * As {@link #start(Map, UnaryOperator)}, with the client registered at the sandbox also for the redirect URIs of
     * further instances of the app on these ports, each started by {@link #startAnotherInstance(int)}.
     */
    public static PotLoginWithSandbox start(Map<String, Object> extraAppSettings, UnaryOperator<URI> apiRoot,
                                            List<Integer> otherInstancePorts) {
        return start(extraAppSettings, apiRoot, otherInstancePorts, UnaryOperator.identity());
    }

    /** As {@link #start(Map)}, with the sandbox's settings changed, e.g. short tokens, refresh tokens, a clock. */
    public static PotLoginWithSandbox startWithSandbox(Map<String, Object> extraAppSettings,
                                                       UnaryOperator<SandboxSettings> sandbox) {
        return start(extraAppSettings, UnaryOperator.identity(), List.of(), sandbox);
    }

    private static PotLoginWithSandbox start(Map<String, Object> extraAppSettings, UnaryOperator<URI> apiRoot,
                                             List<Integer> otherInstancePorts, UnaryOperator<SandboxSettings> sandbox) {
        int appPort = freePort();
        URI redirectUri = redirectUri(appPort);
        List<String> redirectUris = new ArrayList<>(List.of(redirectUri.toString()));
        otherInstancePorts.forEach(port -> redirectUris.add(redirectUri(port).toString()));
        // Tests hold many pending codes of the one demo user at once (pot.login.app.hostile.HostileCallbacksTest keeps 48): none may be
        // pushed out by the per-user bound, or a refusal could come from the portal instead of the app's own checks.
        PortalSandbox portal = PortalSandbox.start(sandbox.apply(SandboxSettings.defaults()
                        .withPort(0)
                        .withPendingCodesPerUser(100)
                        .withClients(List.of(new RegisteredClient(CLIENT_ID, CLIENT_SECRET, redirectUris)))),
                Map.of("pot-login.enabled", false));
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.api-root", apiRoot.apply(portal.uri()).toString());
        settings.put("pot-login.issuer", portal.issuer());
        settings.put("pot-login.client-id", CLIENT_ID);
        settings.put("pot-login.client-secret", CLIENT_SECRET);
        settings.put("pot-login.redirect-uri", redirectUri.toString());
        settings.put("pot-login.state.signing-key-id", "system-1");
        settings.put("pot-login.state.keys.system-1", STATE_KEY);
        settings.putAll(extraAppSettings);
        try {
            EmbeddedServer app = ApplicationContext.run(EmbeddedServer.class, settings);
            return new PotLoginWithSandbox(portal, app, Map.copyOf(settings));
        } catch (RuntimeException e) {
            portal.close();
            throw e;
        }
    }

    /**
     * Another instance of the app, as behind a load balancer: the same settings (keys, client, stores) on its own
     * port, given to {@link #start(Map, UnaryOperator, List)}. The caller stops it (before {@link #close()}).
     */
    public EmbeddedServer startAnotherInstance(int port) {
        Map<String, Object> settings = new HashMap<>(appSettings);
        settings.put("micronaut.server.port", port);
        settings.put("pot-login.redirect-uri", redirectUri(port).toString());
        return ApplicationContext.run(EmbeddedServer.class, settings);
    }

    public URI app(String path) {
        return app.getURI().resolve(path);
    }

    /** Runs {@code /login} and the portal's form in this browser; returns the callback URL, not yet followed. */
    public URI callbackFor(ScriptedBrowser browser, String returnTo) {
        URI authorize = ScriptedBrowser.location(browser.get(app("/login"
                + (returnTo == null ? "" : "?return_to=" + returnTo))));
        return ScriptedBrowser.location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
    }

    public ApplicationContext appContext() {
        return app.getApplicationContext();
    }

    @Override
    public void close() {
        try {
            app.getApplicationContext().close();
        } finally {
            portal.close();
        }
    }

    private static URI redirectUri(int port) {
        return URI.create("http://localhost:" + port + "/login/complete");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
