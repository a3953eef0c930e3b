package pot.login.app;

import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.naming.NameUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings named {@code <prefix>.<id>} (the state keys, the refresh-cookie keys), read with their ids as written in
 * each property source, because Micronaut's binding of a map cannot carry them: it reads the variable
 * {@code POT_LOGIN_STATE_KEYS_PROD_2} as the list entry {@code prod[2]} plus a key {@code prod}, and it lower-cases and
 * hyphenates YAML and {@code -D} names, so {@code Prod_2} and {@code prod-2} would silently be one key.
 *
 * <p>In an environment variable's name an id is upper case with {@code _} for {@code -}
 * ({@code POT_LOGIN_STATE_KEYS_PROD_2} is id {@code prod-2}). A name whose id is not well formed is a problem that
 * names it.
 */
final class SettingsById {

    private static final Pattern VARIABLE_ID = Pattern.compile("[A-Za-z0-9_]+");
    /** Micronaut 4 hands a variable's {@code _<1 or 2 digits>} segment over as a list index: PROD_2 → PROD[2]. */
    private static final Pattern LIST_INDEX = Pattern.compile("\\[([0-9]{1,2})](?=(.)?)");

    private SettingsById() {
    }

    /** A value with the name it was set under, as written. */
    record Named(String name, Object value) {
    }

    /**
     * @param property the dotted prefix, e.g. {@code pot-login.state.keys}
     * @param variable the same as an environment variable's name begins, e.g. {@code POT_LOGIN_STATE_KEYS_}
     */
    record Prefix(String property, String variable) {

        static Prefix of(String property) {
            return new Prefix(property, property.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_') + "_");
        }

        /** {@code pot-login.state.keys.<id> (POT_LOGIN_STATE_KEYS_<ID>)}: both ways an operator may set it. */
        String setting(String id) {
            return property + "." + id + " (" + variable + id.toUpperCase(Locale.ROOT).replace('-', '_') + ")";
        }

        private List<String> segments() {
            return List.of(property.split("\\."));
        }
    }

    /**
     * Every {@code <prefix>.<id>} in the environment, id → value; where one id is set in several sources, the one of
     * higher precedence wins (system properties over variables over YAML), as for every Micronaut setting.
     *
     * @param what     what an id is, for the problems: {@code a state key id}
     * @param spelling the rule, for the problems
     */
    static Map<String, Named> read(Environment environment, Prefix prefix, Predicate<String> isWellFormedId,
                                   String what, String spelling, List<String> problems) {
        Map<String, Named> found = new TreeMap<>();
        List<PropertySource> sources = new ArrayList<>(environment.getPropertySources());
        // Ascending order, so that a source of higher precedence is read last and wins.
        sources.sort(Comparator.comparingInt(PropertySource::getOrder));
        for (PropertySource source : sources) {
            boolean variables = source.getConvention() == PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE;
            for (String name : source) {
                Object value = source.get(name);
                if (variables) {
                    collectVariable(asWritten(name), prefix.variable(), value, isWellFormedId, what, spelling, found,
                            problems);
                } else {
                    collectProperty(name, prefix.segments(), value, isWellFormedId, what, spelling, found, problems);
                }
            }
        }
        return found;
    }

    /** The value with its placeholders resolved; empty, with a problem that names the setting, where one does not. */
    static Optional<String> resolve(Environment environment, Named named, List<String> problems) {
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

    private static void collectVariable(String variable, String prefix, Object value, Predicate<String> wellFormed,
                                        String what, String spelling, Map<String, Named> into,
                                        List<String> problems) {
        if (!variable.toUpperCase(Locale.ROOT).startsWith(prefix)) {
            return;
        }
        String written = variable.substring(prefix.length());
        String id = written.toLowerCase(Locale.ROOT).replace('_', '-');
        if (VARIABLE_ID.matcher(written).matches() && wellFormed.test(id)) {
            into.put(id, new Named(variable, value));
        } else {
            problems.add(variable + ": '" + written + "' does not spell " + what + ": " + spelling);
        }
    }

    private static void collectProperty(String name, List<String> prefix, Object value, Predicate<String> wellFormed,
                                        String what, String spelling, Map<String, Named> into,
                                        List<String> problems) {
        String[] segments = name.split("\\.", -1);
        if (segments.length < prefix.size() || !prefix.equals(Arrays.stream(segments, 0, prefix.size())
                .map(segment -> NameUtils.hyphenate(segment, true)).toList())) {
            return;
        }
        if (segments.length == prefix.size()) {
            // A whole map in one entry, as a map handed to ApplicationContext.run may hold it.
            if (value instanceof Map<?, ?> map) {
                map.forEach((id, entry) -> collectProperty(name + "." + id, prefix, entry, wellFormed, what,
                        spelling, into, problems));
            }
            return;
        }
        String id = String.join(".", Arrays.asList(segments).subList(prefix.size(), segments.length));
        if (wellFormed.test(id)) {
            into.put(id, new Named(name, value));
        } else {
            problems.add(name + ": '" + id + "' is not " + what + ": " + spelling);
        }
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
}
