package pot.login.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * In production the app refuses to start with a secret that is missing, a demo value, or too short to resist guessing,
 * and says which one: a login that runs on a weak secret is worse than no login.
 */
@Context
@Requires(env = Application.PRODUCTION)
class ProductionSettingsCheck {

    static final int MIN_SECRET_BYTES = 32;
    /** Every demo secret shipped with this project contains this marker, so none of them passes for a real one. */
    static final String DEMO_MARKER = "demo-only";

    ProductionSettingsCheck(PotLoginConfiguration config, Environment environment) {
        List<String> problems = problems(config, environment.getActiveNames().contains(Application.SANDBOX));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in production: " + String.join("; ", problems));
        }
    }

    static List<String> problems(PotLoginConfiguration config, boolean sandboxActive) {
        List<String> problems = new ArrayList<>();
        if (sandboxActive) {
            problems.add("the sandbox environment is active too; production runs alone");
        }
        check("pot-login.client-secret (POT_LOGIN_CLIENT_SECRET)", config.getClientSecret(), problems);
        Map<String, String> keys = config.getState().getKeys();
        if (keys == null || keys.isEmpty()) {
            problems.add("pot-login.state.keys is missing (POT_LOGIN_STATE_KEYS_<ID>=<secret>)");
        } else {
            keys.forEach((id, secret) -> check("pot-login.state.keys." + id, secret, problems));
        }
        return problems;
    }

    private static void check(String name, String secret, List<String> problems) {
        if (secret == null || secret.isBlank()) {
            problems.add(name + " is missing");
        } else if (secret.toLowerCase(Locale.ROOT).contains(DEMO_MARKER)) {
            problems.add(name + " is a demo value");
        } else if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add(name + " is shorter than " + MIN_SECRET_BYTES + " bytes");
        }
    }
}
