package pot.login.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.util.Map;

/**
 * The framework floor: a Micronaut app (same server, same JVM flags, security off) whose {@code GET /login} answers a
 * 303 with a fixed Location and no work. Argument: port.
 */
public final class BareApp {

    public static final String ENABLED = "bench.bare.enabled";

    private BareApp() {
    }

    public static void main(String[] args) {
        ApplicationContext context = ApplicationContext.builder()
                .enableDefaultPropertySources(false)
                .properties(Map.of(ENABLED, true,
                        "micronaut.server.host", "localhost",
                        "micronaut.server.port", Integer.parseInt(args[0]),
                        "micronaut.security.enabled", false))
                .start();
        context.getBean(EmbeddedServer.class).start();
        Runtime.getRuntime().addShutdownHook(new Thread(context::close, "bare-shutdown"));
    }

    @Controller("/login")
    @Requires(property = ENABLED, value = "true")
    static class Redirect {

        private static final URI PORTAL = URI.create("http://127.0.0.1:8081/?response_type=code");

        @Get
        HttpResponse<?> login() {
            return HttpResponse.seeOther(PORTAL);
        }
    }
}
