package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.core.naming.NameUtils;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md and the README's configuration table against the code: every documented setting exists,
 * every real one is documented, and every documented default or value is the one the app binds. The settings that
 * exist are those Micronaut generated metadata for ({@code META-INF/spring-configuration-metadata.json}, from
 * {@link PotLoginConfiguration}), plus the few read by name ({@link StateKeySettings}, {@code @Requires}).
 */
class ConfigurationDocsTest {

    private static final Path DOCS = Path.of("..", "docs", "configuration.md");
    private static final Path README = Path.of("..", "README.md");
    private static final Path METADATA = Path.of("target", "classes", "META-INF", "spring-configuration-metadata.json");
    private static final String API_ROOT = "https://portal.example";
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]*)`");
    private static final Pattern QUALIFIED = Pattern.compile("(sandbox|production): (`[^`]*`|[^;]*)");

    /** Read by name, not bound: their default is where they are read. */
    private static final Set<String> READ_BY_NAME = Set.of(PotLoginConfiguration.ENABLED,
            PotLoginConfiguration.SANDBOX_START, setting(StateKeySettings.keySetting("<id>")),
            setting(StateKeySettings.retiredSetting("<id>")), RefreshCookieKeySettings.KEYS.property() + ".<id>");

    private static final Map<String, ApplicationContext> CONTEXTS = new LinkedHashMap<>();
    /** Per setup, what the test had to set to start it: not a default of the code. */
    private static final Map<String, Map<String, Object>> GIVEN = new HashMap<>();

    @BeforeAll
    static void startTheSetups() {
        Map<String, Object> keys = Map.of("pot-login.state.signing-key-id", "docs-1",
                "pot-login.state.keys.docs-1", ProductionSettingsCheckTest.STRONG);
        start("default", keys);
        Map<String, Object> derived = new HashMap<>(keys);
        derived.put(PotLoginConfiguration.API_ROOT, API_ROOT);
        start("derived", derived);
        start(Application.SANDBOX, Map.of(PotLoginConfiguration.SANDBOX_START, false));
        start(Application.PRODUCTION, ProductionSettingsCheckTest.production());
    }

    private static void start(String setup, Map<String, Object> given) {
        ApplicationContextBuilder builder = ApplicationContext.builder().deduceEnvironment(false).properties(given);
        if (setup.equals(Application.SANDBOX) || setup.equals(Application.PRODUCTION)) {
            builder.environments(setup);
        }
        CONTEXTS.put(setup, builder.start());
        GIVEN.put(setup, given);
    }

    @AfterAll
    static void stopTheSetups() {
        CONTEXTS.values().forEach(ApplicationContext::close);
    }

    @Test
    void every_setting_that_the_docs_or_the_readme_name_exists() throws IOException {
        Set<String> real = realSettings().keySet();
        List<String> unknown = new ArrayList<>();
        for (Row row : concat(rows(DOCS, "## Settings"), rows(README, "## Configuration"))) {
            row.settings().stream().filter(name -> name.startsWith(PotLoginConfiguration.PREFIX + "."))
                    .filter(name -> !real.contains(name)).forEach(unknown::add);
        }
        assertThat(unknown).as("documented settings that do not exist").isEmpty();
    }

    @Test
    void every_setting_that_exists_is_documented_in_docs_configuration() throws IOException {
        Set<String> documented = new TreeSet<>();
        rows(DOCS, "## Settings").forEach(row -> documented.addAll(row.settings()));
        assertThat(new TreeSet<>(realSettings().keySet())).as("settings missing from docs/configuration.md")
                .isSubsetOf(documented);
    }

    @Test
    void every_documented_default_is_the_one_the_code_binds_in_each_setup() throws IOException {
        Set<String> real = realSettings().keySet();
        List<String> wrong = new ArrayList<>();
        for (Row row : concat(rows(DOCS, "## Settings"), rows(README, "## Configuration"))) {
            for (var entry : row.valuesBySetting().entrySet()) {
                String name = entry.getKey();
                // A setting that does not exist has no default: the first test names it.
                if (real.contains(name) && !READ_BY_NAME.contains(name)) {
                    checkDefault(name, entry.getValue(), wrong);
                }
            }
        }
        assertThat(wrong).as("documented defaults that differ from the code's").isEmpty();
    }

    @Test
    void every_framework_setting_the_docs_name_is_set_to_the_documented_value() throws IOException {
        // Production: every placeholder of the framework settings resolves there.
        var environment = CONTEXTS.get(Application.PRODUCTION).getEnvironment();
        List<String> wrong = new ArrayList<>();
        for (Row row : concat(rows(DOCS, "## Settings of the frameworks"), rows(README, "## Configuration"))) {
            for (var entry : row.valuesBySetting().entrySet()) {
                String name = entry.getKey();
                // A value this test gives itself (a free port) says nothing about what the app sets.
                if (!name.startsWith("micronaut.") || GIVEN.get(Application.PRODUCTION).containsKey(name)) {
                    continue;
                }
                String actual = environment.getProperty(name, String.class).orElse(null);
                List<String> documented = backticked(entry.getValue());
                if (actual == null) {
                    wrong.add(name + " is not set");
                } else if (!documented.isEmpty()) {
                    String expected = environment.getPlaceholderResolver().resolvePlaceholders(documented.get(0))
                            .orElseThrow();
                    if (!expected.equals(actual)) {
                        wrong.add(name + ": documented " + documented.get(0) + ", set " + actual);
                    }
                }
            }
        }
        assertThat(wrong).as("framework settings documented but not set so").isEmpty();
    }

    @Test
    void every_setting_that_a_message_names_is_a_real_one() throws Exception {
        Set<String> real = realSettings().keySet();
        List<String> named = new ArrayList<>();
        for (Field field : PotLoginConfiguration.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                String value = (String) field.get(null);
                if (!value.equals(PotLoginConfiguration.PREFIX)) {
                    named.add(value);
                }
            }
        }
        assertThat(named).isNotEmpty().allSatisfy(name -> assertThat(real).contains(name));
    }

    private static void checkDefault(String name, String cell, List<String> wrong) {
        Matcher qualified = QUALIFIED.matcher(cell);
        while (qualified.find()) {
            String value = qualified.group(2).strip();
            String setup = qualified.group(1);
            if (value.startsWith("`")) {
                compare(setup, name, value.substring(1, value.length() - 1), wrong);
            } else if (value.equals("none")) {
                compare(setup, name, null, wrong);
            }
        }
        List<String> base = backticked(QUALIFIED.matcher(cell).replaceAll(""));
        String documented = base.isEmpty() ? null : base.get(0);
        if (documented != null && documented.startsWith("{api-root}")) {
            compare("default", name, null, wrong);
            compare("derived", name, documented.replace("{api-root}", API_ROOT), wrong);
        } else {
            compare("default", name, documented, wrong);
        }
    }

    /** Compares in the documented value's own type: {@code 30s} is the Duration the code binds, not a string. */
    private static void compare(String setup, String name, String documented, List<String> wrong) {
        if (GIVEN.get(setup).containsKey(name)) {
            return;
        }
        ApplicationContext context = CONTEXTS.get(setup);
        Object actual = bound(context.getBean(PotLoginConfiguration.class), name, setup.equals("derived"));
        boolean none = actual == null || actual.toString().isBlank() || (actual instanceof Map<?, ?> map
                && map.isEmpty());
        boolean same = documented == null ? none
                : !none && context.getConversionService().convert(documented, actual.getClass())
                        .map(actual::equals).orElse(false);
        if (!same) {
            wrong.add(setup + ": " + name + " documented " + (documented == null ? "none" : documented)
                    + ", bound " + actual);
        }
    }

    /** The value bound for a setting, read from its {@code …OrDefault()} where it has one, else the record component. */
    private static Object bound(Object config, String name, boolean orDefault) {
        Object value = config;
        // A map's entries (name.<key>): the map itself, which by default is empty.
        String path = name.replaceFirst("\\.<[a-z]+>$", "").substring(PotLoginConfiguration.PREFIX.length() + 1);
        for (String segment : path.split("\\.")) {
            String component = NameUtils.camelCase(segment, true);
            try {
                Object computed = orDefault(value, component, orDefault);
                if (computed != null) {
                    value = computed;
                    continue;
                }
                Method accessor = value.getClass().getDeclaredMethod(component);
                accessor.setAccessible(true);
                value = accessor.invoke(value);
            } catch (ReflectiveOperationException notAComponent) {
                throw new AssertionError(name + " is no component of " + value.getClass().getSimpleName());
            }
        }
        return value;
    }

    /**
     * The component's {@code …OrDefault()}, if it has one; outside the derived setup, null where that default follows
     * a setting the setup does not have (the API root, the redirect URI).
     */
    private static Object orDefault(Object config, String component, boolean derived)
            throws ReflectiveOperationException {
        Method accessor;
        try {
            accessor = config.getClass().getMethod(component + "OrDefault");
        } catch (NoSuchMethodException none) {
            return null;
        }
        try {
            return accessor.invoke(config);
        } catch (java.lang.reflect.InvocationTargetException missing) {
            if (derived || !(missing.getCause() instanceof IllegalStateException)) {
                throw missing;
            }
            return null;
        }
    }

    /** Name → type of every setting under pot-login; a map's entries are documented as {@code name.<key>}. */
    private static Map<String, String> realSettings() throws IOException {
        String json = Files.readString(METADATA);
        String properties = json.substring(json.indexOf("\"properties\""));
        Matcher property = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"type\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(properties);
        Map<String, String> settings = new LinkedHashMap<>();
        while (property.find()) {
            String name = property.group(1);
            if (name.startsWith(PotLoginConfiguration.PREFIX + ".")) {
                settings.put(property.group(2).equals("java.util.Map") ? name + ".<name>" : name, property.group(2));
            }
        }
        assertThat(settings).as("the configuration metadata of " + METADATA).isNotEmpty();
        READ_BY_NAME.forEach(name -> settings.put(name, "read by name"));
        return settings;
    }

    /** The rows of the first table after the heading that starts so. */
    private static List<Row> rows(Path file, String heading) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int at = 0;
        while (!lines.get(at).startsWith(heading)) {
            at++;
        }
        while (!lines.get(at).startsWith("|")) {
            at++;
        }
        List<Row> rows = new ArrayList<>();
        for (at += 2; at < lines.size() && lines.get(at).startsWith("|"); at++) {
            String[] cells = lines.get(at).split("\\s*\\|\\s*");
            rows.add(new Row(cells[1], cells[2]));
        }
        assertThat(rows).as(file + " " + heading).isNotEmpty();
        return rows;
    }

    private static List<String> backticked(String text) {
        List<String> values = new ArrayList<>();
        Matcher matcher = BACKTICKED.matcher(text);
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }

    private static String setting(String named) {
        return named.substring(0, named.indexOf(' '));
    }

    private static List<Row> concat(Collection<Row> first, Collection<Row> second) {
        List<Row> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * One table row. {@code `a.b.c` / `d`} names {@code a.b.c} and {@code a.b.d}: a name without a prefix of its own
     * replaces as many trailing segments of the row's first name as it has. Environment variables are skipped.
     */
    private record Row(String settingsCell, String valueCell) {

        List<String> settings() {
            List<String> names = new ArrayList<>();
            String first = null;
            for (String token : backticked(settingsCell)) {
                if (!token.equals(token.toLowerCase())) {
                    continue;
                }
                if (token.startsWith(PotLoginConfiguration.PREFIX + ".") || token.startsWith("micronaut.")) {
                    first = first == null ? token : first;
                    names.add(token);
                } else if (first != null) {
                    String relative = token.startsWith(".") ? token.substring(1) : token;
                    List<String> segments = new ArrayList<>(List.of(first.split("\\.")));
                    int replaced = relative.split("\\.").length;
                    names.add(String.join(".", segments.subList(0, segments.size() - replaced)) + "." + relative);
                }
            }
            return names;
        }

        /** Each name with its part of the value cell: {@code `true` / `5`} pairs up with two names. */
        Map<String, String> valuesBySetting() {
            List<String> names = settings();
            String[] values = valueCell.split(" / ");
            Map<String, String> paired = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                paired.put(names.get(i), values.length == names.size() ? values[i] : valueCell);
            }
            return paired;
        }
    }
}
