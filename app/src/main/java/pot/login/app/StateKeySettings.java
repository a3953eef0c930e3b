package pot.login.app;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.naming.NameUtils;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pot.login.domain.Secret;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;

/**
 * The state keys as configured: {@code pot-login.state.keys.<id>}, {@code pot-login.state.retired.<id>} and
 * {@code pot-login.state.signing-key-id}. The ids are read from the names as written in each property source, because
 * Micronaut's binding of a map cannot carry them: it reads the variable {@code POT_LOGIN_STATE_KEYS_PROD_2} as the
 * list entry {@code prod[2]} plus a key {@code prod}, and it lower-cases and hyphenates YAML and {@code -D} names, so
 * {@code Prod_2} and {@code prod-2} would silently be one key.
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

    private static final List<String> KEYS = List.of("pot-login", "state", "keys");
    private static final List<String> RETIRED = List.of("pot-login", "state", "retired");
    private static final String KEYS_VARIABLE = "POT_LOGIN_STATE_KEYS_";
    private static final String RETIRED_VARIABLE = "POT_LOGIN_STATE_RETIRED_";
    private static final Pattern VARIABLE_ID = Pattern.compile("[A-Za-z0-9_]+");
    /** Micronaut 4 hands a variable's {@code _<1 or 2 digits>} segment over as a list index: PROD_2 → PROD[2]. */
    private static final Pattern LIST_INDEX = Pattern.compile("\\[([0-9]{1,2})](?=(.)?)");

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
        Map<String, Named> keys = new TreeMap<>();
        Map<String, Named> retirements = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<PropertySource> sources = new ArrayList<>(environment.getPropertySources());
        // Ascending order, so that a source of higher precedence (system properties over variables over YAML) wins.
        sources.sort(Comparator.comparingInt(PropertySource::getOrder));
        for (PropertySource source : sources) {
            boolean variables = source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE;
            for (String name : source) {
                Object value = source.get(name);
                if (variables) {
                    String variable = asWritten(name);
                    collectVariable(variable, KEYS_VARIABLE, value, keys, problems);
                    collectVariable(variable, RETIRED_VARIABLE, value, retirements, problems);
                } else {
                    collectProperty(name, KEYS, value, keys, problems);
                    collectProperty(name, RETIRED, value, retirements, problems);
                }
            }
        }
        Map<String, String> secrets = new TreeMap<>();
        keys.forEach((id, named) -> resolve(environment, named, problems)
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
            resolve(environment, named, problems).ifPresent(text -> {
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
        return "pot-login.state.keys." + id + " (" + KEYS_VARIABLE + variableSpelling(id) + ")";
    }

    static String retiredSetting(String id) {
        return "pot-login.state.retired." + id + " (" + RETIRED_VARIABLE + variableSpelling(id) + ")";
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

    private static void collectVariable(String variable, String prefix, Object value, Map<String, Named> into,
                                        List<String> problems) {
        if (!variable.toUpperCase(Locale.ROOT).startsWith(prefix)) {
            return;
        }
        String written = variable.substring(prefix.length());
        String id = written.toLowerCase(Locale.ROOT).replace('_', '-');
        if (VARIABLE_ID.matcher(written).matches() && StateKey.isWellFormedId(id)) {
            into.put(id, new Named(variable, value));
        } else {
            problems.add(variable + ": '" + written + "' does not spell a state key id: " + SPELLING);
        }
    }

    private static void collectProperty(String name, List<String> prefix, Object value, Map<String, Named> into,
                                        List<String> problems) {
        String[] segments = name.split("\\.", -1);
        if (segments.length < prefix.size() || !prefix.equals(Arrays.stream(segments, 0, prefix.size())
                .map(segment -> NameUtils.hyphenate(segment, true)).toList())) {
            return;
        }
        if (segments.length == prefix.size()) {
            // A whole map in one entry, as a map handed to ApplicationContext.run may hold it.
            if (value instanceof Map<?, ?> map) {
                map.forEach((id, entry) -> collectProperty(name + "." + id, prefix, entry, into, problems));
            }
            return;
        }
        String id = String.join(".", Arrays.asList(segments).subList(prefix.size(), segments.length));
        if (StateKey.isWellFormedId(id)) {
            into.put(id, new Named(name, value));
        } else {
            problems.add(name + ": '" + id + "' is not a state key id: " + SPELLING);
        }
    }

    private static Optional<String> resolve(Environment environment, Named named, List<String> problems) {
        String text = named.value() == null ? "" : named.value().toString();
        try {
            text = environment.getPlaceholderResolver().resolveRequiredPlaceholders(text);
        } catch (ConfigurationException unresolved) {
            // The value may be a secret: name the setting, never quote it.
            problems.add(named.name() + " holds a placeholder that does not resolve");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** The variable's name as it was set, before Micronaut read its digit segments as list indexes. */
    private static String asWritten(String name) {
        Matcher index = LIST_INDEX.matcher(name);
        StringBuilder written = new StringBuilder();
        while (index.find()) {
            index.appendReplacement(written, "_" + index.group(1) + (index.group(2) == null ? "" : "_"));
        }
        return index.appendTail(written).toString();
    }

    private static String variableSpelling(String id) {
        return id.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** A value with the name it was set under, as written. */
    private record Named(String name, Object value) {
    }
}
