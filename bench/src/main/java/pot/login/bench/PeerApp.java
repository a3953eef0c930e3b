package pot.login.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;

/**
 * The peer: a minimal Micronaut app whose sign-in is micronaut-security-oauth2's own authorization-code login
 * ({@code /oauth/login/sandbox}, {@code /oauth/callback/sandbox}, its own state, PKCE and JWT session cookie), set up
 * as the interop test sets it up, against the same sandbox portal. Its only code: the token-to-user mapper
 * ({@link PeerAuthenticationMapper}), a landing page and {@code /me} ({@link PeerController}).
 * Arguments: port, sandbox base URI (also its issuer).
 */
public final class PeerApp {

    public static final String ENABLED = "bench.peer.enabled";

    private PeerApp() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String sandbox = args[1];
        String client = "micronaut.security.oauth2.clients.sandbox.";
        Map<String, Object> settings = new HashMap<>();
        settings.put(ENABLED, true);
        settings.put("micronaut.server.host", "localhost");
        settings.put("micronaut.server.port", port);
        settings.put("micronaut.security.authentication", "cookie");
        settings.put("micronaut.security.redirect.login-success", "/");
        settings.put("micronaut.security.redirect.login-failure", "/sign-in-failed");
        settings.put("micronaut.security.token.jwt.signatures.secret.generator.secret",
                "bench-peer-session-signing-secret-0123456789");
        settings.put(client + "client-id", BenchSandbox.PEER_CLIENT_ID);
        settings.put(client + "client-secret", BenchSandbox.PEER_CLIENT_SECRET);
        settings.put(client + "authorization.url", sandbox + "/");
        settings.put(client + "authorization.code-challenge-method", "S256");
        settings.put(client + "token.url", sandbox + "/api/auth/v1/oauth/token/request");
        settings.put(client + "token.authentication-method", "client_secret_post");
        settings.put("bench.peer.jwks-uri", sandbox + "/keys/jwks.json");
        settings.put("bench.peer.issuer", sandbox);
        settings.put("bench.peer.api-root", sandbox);
        ApplicationContext context = ApplicationContext.builder()
                .enableDefaultPropertySources(false)
                .properties(settings)
                .start();
        context.getBean(EmbeddedServer.class).start();
        Runtime.getRuntime().addShutdownHook(new Thread(context::close, "peer-shutdown"));
    }
}
