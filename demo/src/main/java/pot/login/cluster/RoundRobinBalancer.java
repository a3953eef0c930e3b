package pot.login.cluster;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round-robin load balancer in front of app instances, for {@code ./run-cluster}:
 * {@code RoundRobinBalancer <host> <port> a=http://localhost:8091 b=http://localhost:8092}. Each request goes to the
 * next instance ({@link ProxyToNextInstance}), and the answer names the instance in a {@code pot-login-instance} header.
 */
public final class RoundRobinBalancer implements AutoCloseable {

    static final String ENABLED = "pot-login.cluster.balancer.enabled";
    static final String INSTANCES = "pot-login.cluster.balancer.instances";

    private final ApplicationContext context;
    private final EmbeddedServer server;

    private RoundRobinBalancer(ApplicationContext context, EmbeddedServer server) {
        this.context = context;
        this.server = server;
    }

    /** Starts the balancer and returns once it listens. */
    public static RoundRobinBalancer start(String host, int port, List<String> instances) {
        instances.forEach(Instance::parse);
        // The app's own configuration files are on this classpath (the demo jar): read none of them, switch every
        // pot-login bean off, and micronaut-security too, which would otherwise guard the balancer's every path.
        ApplicationContext context = ApplicationContext.builder()
                .enableDefaultPropertySources(false)
                .properties(Map.of(
                        ENABLED, true,
                        INSTANCES, String.join(",", instances),
                        "pot-login.enabled", false,
                        "micronaut.security.enabled", false,
                        // A redirect is the browser's to follow: the login's hops go through the portal.
                        "micronaut.http.client.follow-redirects", false,
                        "micronaut.server.host", host,
                        "micronaut.server.port", port))
                .start();
        try {
            return new RoundRobinBalancer(context, context.getBean(EmbeddedServer.class).start());
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    public URI uri() {
        return server.getURI();
    }

    ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: RoundRobinBalancer <host> <port> <name>=http://host:port ..."
                    + " (given: " + String.join(" ", args) + ")");
        }
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the balancer's port is not a number: " + args[1], e);
        }
        List<String> instances = Arrays.asList(args).subList(2, args.length);
        RoundRobinBalancer balancer = start(args[0], port, instances);
        Runtime.getRuntime().addShutdownHook(new Thread(balancer::close, "balancer-shutdown"));
        Logger log = LoggerFactory.getLogger(RoundRobinBalancer.class);
        log.info("Load balancer at {}, round robin over {}", balancer.uri(), instances);
        Thread.currentThread().join();
    }
}
