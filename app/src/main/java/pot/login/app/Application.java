package pot.login.app;

import io.micronaut.runtime.Micronaut;

/**
 * Starts pot-login. Without {@code MICRONAUT_ENVIRONMENTS} it runs the {@value #SANDBOX} setup: a local sandbox portal
 * on 127.0.0.1:8081 and demo-only secrets. {@code MICRONAUT_ENVIRONMENTS=production} talks to the real portal and
 * takes its secrets from the environment.
 */
public final class Application {

    public static final String SANDBOX = "sandbox";
    public static final String PRODUCTION = "production";

    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args)
                .mainClass(Application.class)
                .defaultEnvironments(SANDBOX)
                .start();
    }
}
