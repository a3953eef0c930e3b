package pot.login.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * The sandbox portal as its own process, with three registered clients: pot-login (the demo client's id and secret,
 * on the bench's app port), the Micronaut peer and the Spring peer (bench/spring-peer, whose
 * application.properties holds the same id and secret as here). Arguments: port, pot-login's redirect URI, the peer's
 * redirect URI, the Spring peer's redirect URI, then the redirect URIs of more pot-login instances (the one on the
 * Redis store), which share the demo client.
 */
public final class BenchSandbox {

    public static final String PEER_CLIENT_ID = "bench-peer";
    public static final String PEER_CLIENT_SECRET = "bench-peer-client-secret-0123456789abcdef";
    public static final String SPRING_CLIENT_ID = "bench-spring";
    public static final String SPRING_CLIENT_SECRET = "bench-spring-client-secret-0123456789abcdef";

    private BenchSandbox() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "pot/login/sandbox/standalone-logback.xml");
        }
        int port = Integer.parseInt(args[0]);
        RegisteredClient demo = RegisteredClient.demo();
        // Up to 64 virtual users sign in as demo at once: each may hold a pending code.
        PortalSandbox sandbox = PortalSandbox.start(SandboxSettings.defaults().withPort(port)
                        .withPendingCodesPerUser(100).withClients(List.of(
                        new RegisteredClient(demo.clientId(), demo.clientSecret(), potLoginRedirects(args)),
                        new RegisteredClient(PEER_CLIENT_ID, PEER_CLIENT_SECRET, List.of(args[2])),
                        new RegisteredClient(SPRING_CLIENT_ID, SPRING_CLIENT_SECRET, List.of(args[3])))),
                Map.of("pot-login.enabled", false));
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "bench-sandbox-shutdown"));
        System.out.println("bench sandbox at " + sandbox.uri() + " issuer " + sandbox.issuer());
        Thread.currentThread().join();
    }

    static List<String> potLoginRedirects(String[] args) {
        List<String> redirects = new ArrayList<>(List.of(args[1]));
        redirects.addAll(List.of(args).subList(4, args.length));
        return redirects;
    }
}
