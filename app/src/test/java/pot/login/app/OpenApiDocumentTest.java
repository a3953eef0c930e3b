package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import pot.login.adapters.http.HttpProblemCode;

/**
 * docs/openapi.yml against the code: it is the description micronaut-openapi generated from adapters-http at compile
 * time, with the {@code ProblemCode} enum filled from {@link HttpProblemCode#every()} (the one list of error codes);
 * and it describes every route the app serves, and no other.
 */
class OpenApiDocumentTest {

    private static final Path PUBLISHED = Path.of("..", "docs", "openapi.yml");
    private static final String GENERATED = "META-INF/swagger/pot-login.yml";
    private static final String REFRESH = "pot-login.openapi.refresh";
    /** A scrape format for Prometheus, not an API (docs/operations.md). */
    private static final Set<String> NOT_DESCRIBED = Set.of("/prometheus");

    private static ApplicationContext app;

    @BeforeAll
    static void startTheApp() {
        app = ApplicationContext.builder().deduceEnvironment(false).environments(Application.SANDBOX)
                .properties(Map.of(PotLoginConfiguration.SANDBOX_START, false, "micronaut.server.port", -1)).start();
    }

    @AfterAll
    static void stopTheApp() {
        app.close();
    }

    @Test
    void the_published_description_is_the_one_generated_from_the_code() throws IOException {
        String expected = expectedDocument();
        if (Boolean.getBoolean(REFRESH)) {
            Files.writeString(PUBLISHED, expected);
        }
        assertThat(Files.readString(PUBLISHED))
                .as("docs/openapi.yml is not the description generated from the code; refresh it with "
                        + "./run-tests -q -pl app -am -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false "
                        + "-D" + REFRESH + "=true")
                .isEqualTo(expected);
    }

    @Test
    void the_problem_code_enum_is_every_code_the_app_sends() throws IOException {
        assertThat(problemCodes(load(Files.readString(PUBLISHED)))).containsExactlyElementsOf(HttpProblemCode.every())
                .contains("state_replayed", "store_unavailable", "not_signed_in", "cross_site_request");
    }

    @Test
    void it_describes_every_route_the_app_serves_and_nothing_else() throws IOException {
        Set<String> served = app.getBean(Router.class).uriRoutes()
                .filter(route -> !NOT_DESCRIBED.contains(route.getUriMatchTemplate().toPathString()))
                .map(OpenApiDocumentTest::operation)
                .collect(Collectors.toCollection(TreeSet::new));
        // Micronaut answers HEAD wherever it answers GET (RFC 9110 §9.3.2): one operation, not two.
        served.removeIf(operation -> operation.startsWith("HEAD ")
                && served.contains(operation.replaceFirst("^HEAD ", "GET ")));

        assertThat(described(load(Files.readString(PUBLISHED)))).isEqualTo(served)
                .contains("GET /login", "GET /login/complete", "GET /me", "POST /logout", "GET /", "GET /health",
                        "GET /health/{selector}");
    }

    private static String operation(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> described(Map<String, Object> document) {
        Set<String> operations = new TreeSet<>();
        ((Map<String, Map<String, Object>>) document.get("paths")).forEach((path, item) -> item.keySet().stream()
                .filter(key -> HttpMethod.parse(key.toUpperCase(java.util.Locale.ROOT)) != HttpMethod.CUSTOM)
                .forEach(method -> operations.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));
        return operations;
    }

    /** The generated description, with the error codes of the code's one list as ProblemCode's enum. */
    @SuppressWarnings("unchecked")
    private static String expectedDocument() throws IOException {
        String generated;
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(GENERATED)) {
            assertThat(in).as(GENERATED + " on the classpath (adapters-http's compile step writes it)").isNotNull();
            generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> document = load(generated);
        Map<String, Object> problemCode = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                document.get("components")).get("schemas")).get("ProblemCode");
        problemCode.put("enum", HttpProblemCode.every());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(120);
        options.setIndicatorIndent(0);
        return "# Generated: micronaut-openapi's description of adapters-http (compile time), with ProblemCode's enum\n"
                + "# from HttpProblemCode.every(). Do not edit; OpenApiDocumentTest says how to refresh it.\n"
                + new Yaml(options).dump(document);
    }

    @SuppressWarnings("unchecked")
    private static List<String> problemCodes(Map<String, Object> document) {
        return (List<String>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                document.get("components")).get("schemas")).get("ProblemCode")).get("enum");
    }

    private static Map<String, Object> load(String yaml) {
        Map<String, Object> document = new Yaml().load(yaml);
        return document == null ? new LinkedHashMap<>() : document;
    }
}
