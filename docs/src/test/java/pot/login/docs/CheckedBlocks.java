package pot.login.docs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import pot.login.app.PotLoginConfiguration;
import pot.login.docs.MarkdownExamples.Example;

/**
 * The checks of the blocks that are not run: a {@code json} block is one JSON value; a {@code yaml} block parses, and
 * under {@code pot-login:} or {@code micronaut:} names only settings the app knows; a {@code properties} block is,
 * verbatim, one of the recipes that the interop tests sign in with.
 */
final class CheckedBlocks {

    private static final Set<String> CHECKED_PREFIXES = Set.of("pot-login", "micronaut");
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> recipes;
    private final KnownSettings settings;

    CheckedBlocks(Path recipeDirectory, KnownSettings settings) {
        this.recipes = recipes(recipeDirectory);
        this.settings = settings;
    }

    /** What is wrong with the block, each problem naming it by file and line; empty when it passes. */
    List<String> problems(Example block) {
        List<String> problems = switch (block.language()) {
            case "json" -> json(block.code());
            case "yaml" -> yaml(block.code());
            case "properties" -> properties(block.code());
            default -> throw new IllegalArgumentException("no check for ```" + block.language() + " at "
                    + block.where());
        };
        return problems.stream().map(problem -> block.where() + " (" + block.language() + "): " + problem).toList();
    }

    private static List<String> json(String code) {
        try (JsonParser parser = JSON.createParser(code)) {
            if (parser.nextToken() == null) {
                return List.of("the block is empty, not a JSON value");
            }
            parser.skipChildren();
            JsonToken after = parser.nextToken();
            return after == null ? List.of()
                    : List.of("more than one JSON value: " + after + " at line " + parser.currentLocation().getLineNr());
        } catch (JsonProcessingException e) {
            return List.of("does not parse as JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> yaml(String code) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(code);
        } catch (YAMLException e) {
            return List.of("does not parse as YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (!(document instanceof Map<?, ?> top)) {
            return List.of();
        }
        List<String> unknown = new ArrayList<>();
        top.forEach((key, value) -> {
            if (CHECKED_PREFIXES.contains(String.valueOf(key))) {
                names(String.valueOf(key), value).stream().filter(name -> !settings.knows(name)).forEach(
                        name -> unknown.add("names a setting the app does not know: " + name));
            }
        });
        return unknown;
    }

    /** The dotted names of the leaves under a key; a list is the value of one setting. */
    private static List<String> names(String prefix, Object value) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            return List.of(prefix);
        }
        List<String> names = new ArrayList<>();
        map.forEach((key, child) -> names.addAll(names(prefix + "." + key, child)));
        return names;
    }

    private List<String> properties(String code) {
        if (recipes.containsValue(code)) {
            return List.of();
        }
        return List.of("is not verbatim one of the recipes " + recipes.keySet()
                + ": copy the file as it is, or mark the block <!-- not-runnable: why -->");
    }

    private static Map<String, String> recipes(Path directory) {
        Map<String, String> recipes = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".properties")).toList()) {
                recipes.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (recipes.isEmpty()) {
            throw new IllegalStateException("no recipes (*.properties) in " + directory);
        }
        return Collections.unmodifiableMap(recipes);
    }

    /**
     * The settings the app knows: those Micronaut generated metadata for (every
     * {@code META-INF/spring-configuration-metadata.json} on the classpath: the app's {@link PotLoginConfiguration}
     * and the framework's), any key under a map-typed one, and the few the app reads by name.
     */
    record KnownSettings(Set<String> names, List<Pattern> patterns) {

        /** Read by name (StateKeySettings, RefreshCookieKeySettings, @Requires), so absent from the metadata. */
        private static final List<String> READ_BY_NAME = List.of(PotLoginConfiguration.ENABLED,
                PotLoginConfiguration.SANDBOX_START, "pot-login.state.keys.*", "pot-login.state.retired.*",
                "pot-login.session.refresh-cookie-keys.*");

        static KnownSettings fromTheClasspath() {
            Map<String, String> types = new HashMap<>();
            try {
                for (URL url : Collections.list(CheckedBlocks.class.getClassLoader()
                        .getResources("META-INF/spring-configuration-metadata.json"))) {
                    try (InputStream in = url.openStream(); JsonParser parser = JSON.createParser(in)) {
                        readProperties(parser, types);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (types.keySet().stream().noneMatch(name -> name.startsWith("pot-login."))) {
                throw new IllegalStateException("no metadata of the app's settings on the classpath");
            }
            Set<String> names = new java.util.HashSet<>();
            List<Pattern> patterns = new ArrayList<>();
            types.forEach((name, type) -> {
                String pattern = wildcards(name);
                if (type.startsWith("java.util.Map")) {
                    patterns.add(Pattern.compile(pattern + "\\..+"));
                }
                if (name.contains("*")) {
                    patterns.add(Pattern.compile(pattern));
                } else {
                    names.add(name);
                }
            });
            READ_BY_NAME.forEach(name -> patterns.add(Pattern.compile(wildcards(name))));
            return new KnownSettings(Set.copyOf(names), List.copyOf(patterns));
        }

        boolean knows(String name) {
            return names.contains(name) || patterns.stream().anyMatch(pattern -> pattern.matcher(name).matches());
        }

        private static String wildcards(String name) {
            return Pattern.quote(name).replace("*", "\\E[^.]+\\Q");
        }

        /** Name and type of each entry of the top-level "properties" array. */
        private static void readProperties(JsonParser parser, Map<String, String> types) throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!field.equals("properties") || value != JsonToken.START_ARRAY) {
                    parser.skipChildren();
                    continue;
                }
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    String name = null;
                    String type = "";
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        parser.nextToken();
                        switch (key) {
                            case "name" -> name = parser.getText();
                            case "type" -> type = parser.getText();
                            default -> parser.skipChildren();
                        }
                    }
                    if (name != null) {
                        types.merge(name, type, (a, b) -> a.startsWith("java.util.Map") ? a : b);
                    }
                }
            }
        }
    }
}
