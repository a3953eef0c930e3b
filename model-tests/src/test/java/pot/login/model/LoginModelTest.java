package pot.login.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exhausts the Promela model of the login protocol (model/login.pml, described in model/README.md) with spin: what
 * the other tests sample, spin checks for every interleaving of two browsers, two app instances and the attacker.
 */
class LoginModelTest {

    private static final Path MODEL = Path.of("..", "model", "login.pml").toAbsolutePath().normalize();
    private static final List<String> PROPERTIES = List.of("browser_binding", "no_session_from_a_leaked_url",
            "single_use", "checks_before_exchange", "signed_out_refused_everywhere", "foreign_token_never_a_session");
    private static final Duration EACH_STEP = Duration.ofSeconds(60);
    private static final Pattern ERRORS = Pattern.compile("errors: (\\d+)");
    private static final Pattern STATES = Pattern.compile("(\\S+) states, stored");

    @TempDir
    Path work;

    @Test
    void the_real_design_satisfies_every_property_in_every_interleaving() throws Exception {
        Path pan = compile(null);
        for (String property : PROPERTIES) {
            Verification result = verify(pan, property);
            print("real design", property, result);
            assertThat(result.errors()).as("spin's errors for %s in the real design:%n%s", property, result.output())
                    .isZero();
            assertThat(result.states()).as("states explored for %s", property).isGreaterThan(100_000);
        }
    }

    static Stream<Arguments> mutants() {
        return Stream.of(
                Arguments.of("STATE_DERIVED", List.of("no_session_from_a_leaked_url", "browser_binding")),
                Arguments.of("NO_SINGLE_USE", List.of("single_use", "checks_before_exchange")),
                Arguments.of("NO_PKCE", List.of("no_session_from_a_leaked_url", "browser_binding")),
                Arguments.of("NO_ISS_CHECK", List.of("checks_before_exchange")),
                Arguments.of("NO_AUD_CHECK", List.of("foreign_token_never_a_session")),
                Arguments.of("LOCAL_SIGN_OUT", List.of("signed_out_refused_everywhere")));
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @MethodSource("mutants")
    void each_mutant_of_the_design_gives_a_counterexample_to_the_property_it_breaks(String mutant,
            List<String> broken) throws Exception {
        Path pan = compile(mutant);
        for (String property : broken) {
            Verification result = verify(pan, property);
            print(mutant, property, result);
            assertThat(result.errors()).as("spin's errors for %s with -D%s:%n%s", property, mutant, result.output())
                    .isGreaterThanOrEqualTo(1);
        }
    }

    private Path compile(String mutant) throws Exception {
        Path dir = Files.createDirectories(work.resolve(mutant == null ? "real" : mutant));
        Files.copy(MODEL, dir.resolve("login.pml"));
        List<String> spin = new ArrayList<>(List.of("spin"));
        if (mutant != null) {
            spin.add("-D" + mutant);
        }
        spin.addAll(List.of("-a", "login.pml"));
        run(dir, spin);
        run(dir, List.of("gcc", "-O2", "-w", "-o", "pan", "pan.c"));
        return dir.resolve("pan");
    }

    private Verification verify(Path pan, String property) throws Exception {
        long start = System.nanoTime();
        // -a: never claims of the LTL properties; -m: the trails are longer than pan's default depth bound of 10 000
        String output = run(pan.getParent(), List.of("./pan", "-a", "-m100000", "-N", property));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Matcher errors = ERRORS.matcher(output);
        Matcher states = STATES.matcher(output);
        if (!errors.find() || !states.find()) {
            fail("pan printed no 'errors: N' or no 'N states, stored' for %s:%n%s", property, output);
        }
        if (output.contains("max search depth too small")) {
            fail("pan's search depth cut the search of %s short:%n%s", property, output);
        }
        return new Verification(Integer.parseInt(errors.group(1)), (long) Double.parseDouble(states.group(1)), took,
                output);
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            throw new AssertionError(command.get(0) + " is not installed, and the model cannot be checked without it: "
                    + "apt-get install -y spin gcc (.ci/run does this when they are missing)", notInstalled);
        }
        // pan's own output is small; read it all, then wait, so a full pipe cannot block it
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("could not read the output: " + e).getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(EACH_STEP.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("%s did not finish within %s in %s", String.join(" ", command), EACH_STEP, dir);
        }
        reader.join();
        String output = new String(out[0], StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("%s exited with %d:%n%s", String.join(" ", command), process.exitValue(), output);
        }
        return output;
    }

    private static void print(String design, String property, Verification result) {
        System.out.printf("model %-14s %-30s errors: %d, %,d states explored, %d ms%n", design, property,
                result.errors(), result.states(), result.took().toMillis());
    }

    private record Verification(int errors, long states, Duration took, String output) {}
}
