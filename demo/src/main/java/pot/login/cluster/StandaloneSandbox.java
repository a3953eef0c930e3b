package pot.login.cluster;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.SandboxSettings;

/**
 * The sandbox portal as a process of its own, started from the demo jar ({@code ./run-cluster}): what
 * {@link PortalSandbox#main} does, except that the app's beans, on this jar's classpath too, are switched off in the
 * sandbox's context. Host, port, issuer and the demo client's redirect URI: {@link SandboxSettings#fromEnvironment()}.
 */
public final class StandaloneSandbox {

    private StandaloneSandbox() {
    }

    public static void main(String[] args) throws InterruptedException {
        // Set before the first logger exists; a configuration given on the command line wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "pot/login/sandbox/standalone-logback.xml");
        }
        PortalSandbox sandbox = PortalSandbox.start(SandboxSettings.fromEnvironment(),
                Map.of("pot-login.enabled", false));
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "portal-sandbox-shutdown"));
        Logger log = LoggerFactory.getLogger(StandaloneSandbox.class);
        log.info("Sandbox portal at {} (issuer {}): sign in as demo / demo", sandbox.uri(), sandbox.issuer());
        Thread.currentThread().join();
    }
}
