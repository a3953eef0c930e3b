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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.docs.CheckedBlocks.KnownSettings;
import pot.login.docs.ExampleRunner.Outcome;
import pot.login.docs.MarkdownExamples.Example;
import pot.login.docs.MarkdownExamples.Kind;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * Runs every example of the README and of docs/ as it stands in the Markdown, against a sandbox portal (and, for the
 * examples that call it, the app) on free loopback ports, named to the examples by {@code POT_SANDBOX} and
 * {@code POT_APP}. An example passes when it exits 0 and its standard output matches each of its
 * {@code <!-- expect: … -->} lines; a block that cannot run here is marked {@code <!-- not-runnable: why -->}. The
 * other blocks are checked ({@link CheckedBlocks}) or marked: none goes unaccounted for ({@link MarkdownExamples}).
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
    private static final Path RECIPES = MODULE.resolveSibling("interop-tests").resolve("src/test/resources");

    private static PortalSandbox sandbox;
    private static EmbeddedServer app;

    @BeforeAll
    static void startTheServersTheExamplesNeed() {
        List<Example> runnable = allExamples().stream().filter(example -> example.kind() == Kind.RUN).toList();
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
    void every_block_in_the_readme_and_in_docs_runs_and_prints_what_it_promises_or_passes_its_check_or_is_marked() throws Exception {
        List<Example> examples = allExamples();
        List<Example> runnable = examples.stream().filter(example -> example.kind() == Kind.RUN).toList();
        CheckedBlocks checks = new CheckedBlocks(RECIPES, KnownSettings.fromTheClasspath());
        Map<Example, List<String>> checked = examples.stream().filter(example -> example.kind() == Kind.CHECK)
                .collect(Collectors.toMap(example -> example, checks::problems));
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
        System.out.println(summary(examples, outcomes, checked));
        List<String> failures = outcomes.stream().filter(outcome -> !outcome.passed()).map(Outcome::report).toList();
        assertThat(failures).as("examples that failed").isEmpty();
        assertThat(checked.values().stream().flatMap(List::stream)).as("blocks that failed their check").isEmpty();
        assertThat(runnable).as("runnable examples").isNotEmpty();
    }

    /**
     * Per info string: how many blocks ran (and how long they took together), were checked, are marked not runnable.
     */
    private static String summary(List<Example> blocks, List<Outcome> outcomes,
                                  Map<Example, List<String>> checked) {
        Map<String, List<Example>> byLanguage = blocks.stream()
                .collect(Collectors.groupingBy(Example::language, TreeMap::new, Collectors.toList()));
        StringBuilder summary = new StringBuilder(String.format("Documentation blocks (README.md and docs/): %d%n",
                blocks.size()));
        summary.append(String.format("  %-11s %4s %7s %7s %7s %9s%n", "info string", "ran", "failed", "checked",
                "marked", "run time"));
        byLanguage.forEach((language, mine) -> {
            List<Outcome> ran = outcomes.stream().filter(outcome -> outcome.example().language().equals(language))
                    .toList();
            long checks = mine.stream().filter(block -> block.kind() == Kind.CHECK).count();
            long failedChecks = mine.stream().filter(block -> !checked.getOrDefault(block, List.of()).isEmpty())
                    .count();
            long marked = mine.stream().filter(block -> block.kind() == Kind.MARKED).count();
            Duration took = ran.stream().map(Outcome::took).reduce(Duration.ZERO, Duration::plus);
            summary.append(String.format("  %-11s %4d %7d %7d %7d %9s%n", language, ran.size(),
                    ran.stream().filter(outcome -> !outcome.passed()).count() + failedChecks, checks, marked,
                    ran.isEmpty() ? "" : String.format("%.1f s", took.toMillis() / 1000.0)));
        });
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
