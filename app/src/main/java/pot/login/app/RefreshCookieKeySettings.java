package pot.login.app;

import io.micronaut.context.env.Environment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pot.login.app.SettingsById.Named;
import pot.login.app.SettingsById.Prefix;
import pot.login.domain.Secret;
import pot.login.domain.state.StateKey;

/**
 * The refresh-cookie keys as configured, {@code pot-login.session.refresh-cookie-keys.<id>} (ADR-0007), read by name
 * as the state keys are ({@link SettingsById}), so that {@code POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_PROD_2} is key
 * {@code prod-2} and not a list entry. The ids are spelt as the state keys' ids: one spelling for every key id.
 */
final class RefreshCookieKeySettings {

    static final Prefix KEYS = Prefix.of("pot-login.session.refresh-cookie-keys");
    static final String SPELLING = "an id is lower-case letters and digits joined by single '-', at most "
            + StateKey.MAX_ID_LENGTH + " characters (prod-2); in an environment variable's name '_' stands for '-' "
            + "(POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_PROD_2)";

    private RefreshCookieKeySettings() {
    }

    /**
     * Key id → key; empty when none is configured (sessions then do not renew).
     *
     * @throws IllegalStateException naming every setting that cannot be used, never a secret
     */
    static Map<String, Secret> read(Environment environment) {
        List<String> problems = new ArrayList<>();
        Map<String, Named> named = SettingsById.read(environment, KEYS, StateKey::isWellFormedId,
                "a refresh-cookie key id", SPELLING, problems);
        Map<String, Secret> keys = new TreeMap<>();
        named.forEach((id, setting) -> SettingsById.resolve(environment, setting, problems)
                .ifPresent(secret -> keys.put(id, Secret.of(KEYS.property() + "." + id, secret))));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the refresh-cookie keys cannot be used:\n" + String.join("\n", problems));
        }
        return keys;
    }
}
