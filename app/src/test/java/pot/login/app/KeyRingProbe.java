package pot.login.app;

import io.micronaut.context.ApplicationContext;
import java.time.Instant;
import java.util.Map;
import pot.login.domain.ReturnPath;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateSigner;

/**
 * Run in a child JVM by {@link StateKeysFromTheEnvironmentTest}, so that its environment variables are real ones:
 * starts the app's context (no setup, so no sandbox keys), says so, then prints the key ring it built — the ids,
 * which one signs, and what it makes of each state given as {@code label=state} — one line each. Never prints a
 * secret.
 */
public final class KeyRingProbe {

    private KeyRingProbe() {
    }

    public static void main(String[] args) {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of("micronaut.server.port", -1))
                .start()) {
            System.out.println("context started");
            StateSigner signer = context.getBean(StateSigner.class);
            PotLoginConfiguration config = context.getBean(PotLoginConfiguration.class);
            System.out.println("keys " + StateKeySettings.read(context.getEnvironment(),
                    config.state().signingKeyId()).secrets().keySet());
            String signed = signer.sign(new StateClaims(Instant.now(), new byte[StateClaims.NONCE_BYTES],
                    new byte[StateClaims.BINDING_BYTES], ReturnPath.HOME));
            System.out.println("signs with " + signed.substring(0, signed.indexOf('.')));
            Instant now = Instant.now();
            for (String arg : args) {
                String label = arg.substring(0, arg.indexOf('='));
                StateCheck check = signer.verify(arg.substring(arg.indexOf('=') + 1), now);
                System.out.println(label + " " + (check instanceof StateCheck.Refused refused
                        ? "refused " + refused.reason().code() : "valid"));
            }
        }
    }
}
