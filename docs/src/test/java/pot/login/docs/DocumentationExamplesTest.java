package pot.login.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.docs.ExampleRunner.Outcome;
import pot.login.docs.MarkdownExamples.Example;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * Runs every example of the README and of docs/ as it stands in the Markdown, against a sandbox portal (and, for the
 * examples that call it, the app) on free loopback ports, named to the examples by {@code POT_SANDBOX} and
 * {@code POT_APP}. An example passes when it exits 0 and its standard output matches each of its
 * {@code <!-- expect: … -->} lines; a block that cannot run here is marked {@code <!-- not-runnable: why -->}.
 */
class DocumentationExamplesTest {

    /** The demo client's own redirect URI, which the guide's examples use with the default POT_APP. */
    private static final String DEMO_REDIRECT_URI = RegisteredClient.demo().redirectUris().getFirst();
    private static final Duration TIMEOUT_PER_EXAMPLE = Duration.ofSeconds(90);
    /**
     * Each example runs its own login (its own state, code and cookie jar), so examples may run side by side; two at a
     * time, as this machine has two cores and a Java example compiles itself first.
     */
    private static final int IN_PARALLEL = 2;

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.resolveSibling("README.md");

    private static PortalSandbox sandbox;
    private static EmbeddedServer app;

    @BeforeAll
    static void startTheServersTheExamplesNeed() {
        List<Example> runnable = allExamples().stream().filter(example -> example.notRunnable().isEmpty()).toList();
        boolean appNeeded = runnable.stream().anyMatch(example -> example.code().contains("POT_APP"));
        int appPort = freePort();
        String appRedirectUri = "http://localhost:" + appPort + "/login/complete";
        RegisteredClient demo = RegisteredClient.demo();
        // Many examples sign the demo user in at once: none may push another's pending code out.
        sandbox = PortalSandbox.start(SandboxSettings.defaults()
                        .withPort(0)
                        .withPendingCodesPerUser(100)
                        .withClients(List.of(new RegisteredClient(demo.clientId(), demo.clientSecret(),
                                List.of(DEMO_REDIRECT_URI, appRedirectUri)))),
                Map.of("pot-login.enabled", false));
        if (appNeeded) {
            Map<String, Object> settings = new HashMap<>();
            settings.put("micronaut.server.port", appPort);
            settings.put("micronaut.server.host", "localhost");
            settings.put("pot-login.api-root", sandbox.uri().toString());
            settings.put("pot-login.issuer", sandbox.issuer());
            settings.put("pot-login.client-id", demo.clientId());
            settings.put("pot-login.client-secret", demo.clientSecret());
            settings.put("pot-login.redirect-uri", appRedirectUri);
            settings.put("pot-login.state.signing-key-id", "docs-1");
            settings.put("pot-login.state.keys.docs-1", "documentation-examples-state-key-0123456789");
            app = ApplicationContext.run(EmbeddedServer.class, settings);
        }
    }

    @AfterAll
    static void stopThem() {
        try {
            if (app != null) {
                app.getApplicationContext().close();
            }
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    @Test
    void every_example_in_the_readme_and_in_docs_runs_and_prints_what_it_promises() throws Exception {
        List<Example> examples = allExamples();
        List<Example> runnable = examples.stream().filter(example -> example.notRunnable().isEmpty()).toList();
        Map<String, String> environment = new HashMap<>();
        environment.put("POT_SANDBOX", sandbox.uri().toString().replaceAll("/$", ""));
        if (app != null) {
            environment.put("POT_APP", "http://localhost:" + app.getPort());
        }
        ExampleRunner runner = new ExampleRunner(environment, TIMEOUT_PER_EXAMPLE);
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(IN_PARALLEL);
        try {
            List<Future<Outcome>> running = runnable.stream().map(example -> pool.submit(() -> runner.run(example)))
                    .toList();
            for (Future<Outcome> outcome : running) {
                outcomes.add(outcome.get());
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println(summary(examples, outcomes));
        List<String> failures = outcomes.stream().filter(outcome -> !outcome.passed()).map(Outcome::report).toList();
        assertThat(failures).as("examples that failed").isEmpty();
        assertThat(runnable).as("runnable examples").isNotEmpty();
    }

    /** Per language: how many examples ran and how long they took together, and how many are marked not runnable. */
    private static String summary(List<Example> examples, List<Outcome> outcomes) {
        Map<String, List<Outcome>> ran = outcomes.stream()
                .collect(Collectors.groupingBy(outcome -> outcome.example().language(), LinkedHashMap::new,
                        Collectors.toList()));
        StringBuilder summary = new StringBuilder("Documentation examples:\n");
        for (String language : List.of("sh", "java", "python", "javascript")) {
            List<Outcome> mine = ran.getOrDefault(language, List.of());
            long marked = examples.stream()
                    .filter(example -> example.language().equals(language) && example.notRunnable().isPresent())
                    .count();
            Duration took = mine.stream().map(Outcome::took).reduce(Duration.ZERO, Duration::plus);
            summary.append(String.format("  %-10s %2d run in %5.1f s (%d failed), %d marked not runnable%n", language,
                    mine.size(), took.toMillis() / 1000.0, mine.stream().filter(o -> !o.passed()).count(), marked));
        }
        return summary.toString();
    }

    static List<Example> allExamples() {
        List<Path> files = new ArrayList<>(List.of(README));
        try (Stream<Path> docs = Files.walk(MODULE)) {
            docs.filter(path -> path.toString().endsWith(".md"))
                    .filter(path -> !MODULE.relativize(path).startsWith("target"))
                    .sorted(Comparator.naturalOrder())
                    .forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().flatMap(file -> MarkdownExamples.read(file).stream())
                .map(example -> new Example(MODULE.getParent().relativize(example.file()), example.line(),
                        example.language(), example.code(), example.notRunnable(), example.expectations()))
                .toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
