package pot.login.app;

import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import pot.login.app.SettingsById.Named;
import pot.login.app.SettingsById.Prefix;
import pot.login.domain.Secret;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;

/**
 * The state keys as configured: {@code pot-login.state.keys.<id>}, {@code pot-login.state.retired.<id>} and
 * {@code pot-login.state.signing-key-id}. The ids are read from the names as written in each property source
 * ({@link SettingsById}: Micronaut's binding of a map cannot carry them).
 *
 * <p>One spelling everywhere: an id is lower-case letters and digits joined by single {@code -} ({@link StateKey});
 * in an environment variable's name it is upper case with {@code _} for {@code -}
 * ({@code POT_LOGIN_STATE_KEYS_PROD_2} is key {@code prod-2}). Any other name is refused, naming it.
 */
final class StateKeySettings {

    static final String SIGNING_KEY_ID = PotLoginConfiguration.named(PotLoginConfiguration.SIGNING_KEY_ID);
    static final String SPELLING = "an id is lower-case letters and digits joined by single '-', at most "
            + StateKey.MAX_ID_LENGTH + " characters (prod-2); in an environment variable's name '_' stands for '-' "
            + "(POT_LOGIN_STATE_KEYS_PROD_2)";

    private static final Prefix KEYS = Prefix.of("pot-login.state.keys");
    private static final Prefix RETIRED = Prefix.of("pot-login.state.retired");
    private static final String WHAT = "a state key id";

    private final Map<String, String> secrets;
    private final Map<String, Instant> retired;
    private final String signingKeyId;
    private final List<String> problems;

    private StateKeySettings(Map<String, String> secrets, Map<String, Instant> retired, String signingKeyId,
                             List<String> problems) {
        this.secrets = secrets;
        this.retired = retired;
        this.signingKeyId = signingKeyId;
        this.problems = List.copyOf(problems);
    }

    /**
     * @param signingKeyId the value of {@code pot-login.state.signing-key-id}: a value, which Micronaut binds intact
     */
    static StateKeySettings read(Environment environment, @Nullable String signingKeyId) {
        List<String> problems = new ArrayList<>();
        Map<String, Named> keys = SettingsById.read(environment, KEYS, StateKey::isWellFormedId, WHAT, SPELLING,
                problems);
        Map<String, Named> retirements = SettingsById.read(environment, RETIRED, StateKey::isWellFormedId, WHAT,
                SPELLING, problems);
        Map<String, String> secrets = new TreeMap<>();
        keys.forEach((id, named) -> SettingsById.resolve(environment, named, problems)
                .ifPresent(secret -> secrets.put(id, secret)));
        if (keys.isEmpty()) {
            problems.add(keySetting("<id>") + " is missing: no state key is configured");
        }
        Map<String, Instant> retired = new TreeMap<>();
        retirements.forEach((id, named) -> {
            if (!keys.containsKey(id)) {
                problems.add(retiredSetting(id) + " names no key of pot-login.state.keys " + keys.keySet());
                return;
            }
            SettingsById.resolve(environment, named, problems).ifPresent(text -> {
                try {
                    retired.put(id, OffsetDateTime.parse(text).toInstant());
                } catch (DateTimeParseException notRfc3339) {
                    problems.add(retiredSetting(id) + " is not an RFC 3339 time (2026-11-28T10:00:00Z): " + text);
                }
            });
        });
        checkSigningKeyId(signingKeyId, keys, retired, problems);
        return new StateKeySettings(secrets, retired, signingKeyId, problems);
    }

    /** What stops these settings from making a key ring; empty when {@link #stateKeys()} can build one. */
    List<String> problems() {
        return problems;
    }

    /** Key id → secret, for checks of the secrets themselves. */
    Map<String, String> secrets() {
        return secrets;
    }

    /** The signing key first, then every other key: all of them verify. */
    StateKeys stateKeys() {
        List<String> all = new ArrayList<>(problems);
        List<StateKey> newestFirst = new ArrayList<>();
        if (all.isEmpty()) {
            addKey(signingKeyId, newestFirst, all);
            secrets.keySet().stream().filter(id -> !id.equals(signingKeyId))
                    .forEach(id -> addKey(id, newestFirst, all));
        }
        if (!all.isEmpty()) {
            throw new IllegalStateException("the state keys cannot be used:\n" + String.join("\n", all));
        }
        return new StateKeys(newestFirst);
    }

    /** {@code pot-login.state.keys.<id> (POT_LOGIN_STATE_KEYS_<ID>)}. */
    static String keySetting(String id) {
        return KEYS.setting(id);
    }

    static String retiredSetting(String id) {
        return RETIRED.setting(id);
    }

    private void addKey(String id, List<StateKey> newestFirst, List<String> problems) {
        try {
            newestFirst.add(new StateKey(id, Secret.of("pot-login.state.keys." + id, secrets.get(id)),
                    retired.get(id)));
        } catch (IllegalArgumentException unusable) {
            problems.add(keySetting(id) + ": " + unusable.getMessage());
        }
    }

    private static void checkSigningKeyId(@Nullable String id, Map<String, Named> keys, Map<String, Instant> retired,
                                          List<String> problems) {
        if (id == null || id.isBlank()) {
            problems.add(SIGNING_KEY_ID + " is missing");
        } else if (!StateKey.isWellFormedId(id)) {
            problems.add(SIGNING_KEY_ID + " '" + id + "' is not a state key id: " + SPELLING);
        } else if (!keys.isEmpty() && !keys.containsKey(id)) {
            problems.add(SIGNING_KEY_ID + " '" + id + "' is not one of pot-login.state.keys " + keys.keySet());
        } else if (retired.containsKey(id)) {
            problems.add(SIGNING_KEY_ID + " '" + id + "' is retired (" + retiredSetting(id)
                    + "): sign with a newer key");
        }
    }
}
