package pot.login.app;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import java.util.Optional;
import pot.login.domain.RefreshToken;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.session.SessionRenewal;

/**
 * Run in a child JVM by {@link RefreshCookieKeysFromTheEnvironmentTest}, so that its environment variables are real
 * ones: starts the app's context, says so, then prints one line each: whether sessions renew, a refresh cookie sealed
 * under the configured current key (ciphertext: the test opens it with the key it expects), and, for each
 * {@code label=cookie} argument, whether the configured keys open it. Never prints a secret or a token.
 */
public final class RefreshKeyProbe {

    private RefreshKeyProbe() {
    }

    public static void main(String[] args) {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of("micronaut.server.port", -1))
                .start()) {
            System.out.println("context started");
            RenewSession renewSession = context.getBean(RenewSession.class);
            // The wiring counts renewals in front of the use case (MeteredPorts); the probe asks the use case itself.
            if (renewSession instanceof MeteredPorts.Renewals(RenewSession counted, var metrics)) {
                renewSession = counted;
            }
            if (!(renewSession instanceof SessionRenewal renewal)) {
                System.out.println("renews no");
                return;
            }
            System.out.println("renews yes");
            System.out.println("sealed " + renewal.refreshCookieAtSignIn(new RefreshToken("probe-token"), "probe")
                    .value());
            for (String arg : args) {
                String label = arg.substring(0, arg.indexOf('='));
                // Signing the cookie out opens it, as /logout does (the probe's store is its own memory).
                Optional<RefreshToken> opened = renewal.signOut(arg.substring(arg.indexOf('=') + 1)).toRevoke();
                System.out.println(label + (opened.isPresent() ? " opens" : " does not open"));
            }
        }
    }
}
