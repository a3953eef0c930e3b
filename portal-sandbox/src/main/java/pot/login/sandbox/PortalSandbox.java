package pot.login.sandbox;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sandbox portal: its own Micronaut application context and HTTP server, started alone ({@link #main}) or
 * inside another application's JVM (the demo app, tests).
 *
 * <p>Its context reads no configuration files, system properties or environment variables: in another application's
 * JVM those belong to that application. Everything it needs comes from {@link SandboxSettings} and the caller's extra
 * properties.
 */
public final class PortalSandbox implements AutoCloseable {

    /** The property that switches the sandbox's beans on (see package-info); only the sandbox's context sets it. */
    static final String ENABLED = "portal-sandbox.enabled";
    private static final String LOGBACK_CONFIGURATION = "logback.configurationFile";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CLOSE_POLL = Duration.ofMillis(20);

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private PortalSandbox(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    public static PortalSandbox start(SandboxSettings settings) {
        return start(settings, Map.of());
    }

    /**
     * Starts a sandbox portal and returns once it listens.
     *
     * @param extraProperties more properties for the sandbox's context, e.g. {@code pot-login.enabled=false} to switch
     *                        off the caller's own beans there; they cannot override where it listens
     */
    public static PortalSandbox start(SandboxSettings settings, Map<String, Object> extraProperties) {
        Map<String, Object> properties = new HashMap<>(extraProperties);
        properties.put(ENABLED, true);
        properties.put("micronaut.server.host", settings.host());
        properties.put("micronaut.server.port", settings.port());
        // micronaut-security may be on a host application's classpath; the portal does its own authentication.
        properties.put("micronaut.security.enabled", false);
        ApplicationContext context = ApplicationContext.builder()
                .enableDefaultPropertySources(false)
                .properties(properties)
                .singletons(settings)
                .start();
        try {
            return new PortalSandbox(context, context.getBean(EmbeddedServer.class).start());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8081}; with port 0 in the settings, the port it was given. */
    public URI uri() {
        return server.getURI();
    }

    /** The issuer it names in tokens ({@code iss}) and on callbacks (RFC 9207). */
    public String issuer() {
        return context.getBean(Issuer.class).value();
    }

    /**
     * A token with these claims, signed with this portal's token key exactly as the tokens it issues: for tests that
     * need a token the portal would never issue (another issuer, no expiry, another audience) whose signature verifies,
     * so that its claims alone decide. The key itself stays inside the sandbox.
     */
    public String signWithTheTokenKey(JWTClaimsSet claims) {
        return context.getBean(SigningKey.class).sign(claims);
    }

    /** Stops the server and its context; when it returns, the port is free again. */
    @Override
    public void close() {
        if (!context.isRunning()) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(server.getHost(), server.getPort());
        context.close();
        awaitClosed(address);
    }

    /** Netty closes the listening socket asynchronously: wait (boundedly) until connections are refused. */
    private static void awaitClosed(InetSocketAddress address) {
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(address, (int) CLOSE_POLL.toMillis());
            } catch (IOException refused) {
                return;
            }
            try {
                Thread.sleep(CLOSE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Runs the sandbox portal on its own until the process is stopped, with the demo client and user. Host, port and
     * issuer: see {@link SandboxSettings#fromEnvironment()}.
     */
    public static void main(String[] args) throws InterruptedException {
        // Set before the first logger exists; a configuration given on the command line wins.
        if (System.getProperty(LOGBACK_CONFIGURATION) == null) {
            System.setProperty(LOGBACK_CONFIGURATION, "pot/login/sandbox/standalone-logback.xml");
        }
        Logger log = LoggerFactory.getLogger(PortalSandbox.class);
        PortalSandbox sandbox = start(SandboxSettings.fromEnvironment());
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "portal-sandbox-shutdown"));
        log.info("Sandbox portal at {} (issuer {}): sign in as demo / demo", sandbox.uri(), sandbox.issuer());
        Thread.currentThread().join();
    }
}
