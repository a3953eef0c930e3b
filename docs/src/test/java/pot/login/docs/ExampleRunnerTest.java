package pot.login.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import pot.login.docs.ExampleRunner.Outcome;
import pot.login.docs.MarkdownExamples.Example;

class ExampleRunnerTest {

    private final ExampleRunner runner = new ExampleRunner(Map.of("POT_SANDBOX", "http://127.0.0.1:1"),
            Duration.ofSeconds(30));

    private static Example example(String language, String code, String... expectations) {
        return new Example(Path.of("docs/page.md"), 7, language, code, Optional.empty(),
                List.of(expectations).stream().map(e -> Pattern.compile(e, Pattern.MULTILINE)).toList());
    }

    @Test
    void each_language_runs_with_the_addresses_it_is_given() {
        List<Example> examples = List.of(
                example("sh", "echo \"portal=${POT_SANDBOX:-http://127.0.0.1:8081}\"\n", "^portal=http://127.0.0.1:1$"),
                example("java", """
                        public class Hello {
                            public static void main(String[] args) {
                                System.out.println("portal=" + System.getenv("POT_SANDBOX"));
                            }
                        }
                        """, "^portal=http://127.0.0.1:1$"),
                example("python", "import os\nprint('portal=' + os.environ['POT_SANDBOX'])\n",
                        "^portal=http://127.0.0.1:1$"),
                example("javascript", "console.log(`portal=${process.env.POT_SANDBOX}`);\nawait Promise.resolve();\n",
                        "^portal=http://127.0.0.1:1$"));

        assertThat(examples).map(runner::run).allSatisfy(outcome -> assertThat(outcome.passed())
                .as(outcome::report).isTrue());
    }

    @Test
    void an_example_that_fails_is_reported_with_its_file_line_and_output() {
        Outcome outcome = runner.run(example("sh", "echo halfway\necho broken >&2\nfalse\necho never\n"));

        assertThat(outcome.passed()).isFalse();
        assertThat(outcome.report()).startsWith("docs/page.md:7 (sh): exited with 1")
                .contains("halfway").contains("broken").doesNotContain("never");
    }

    @Test
    void an_example_that_exits_0_without_printing_what_it_promises_fails() {
        Outcome outcome = runner.run(example("python", "print('tampered state accepted')\n",
                "^tampered state refused$"));

        assertThat(outcome.problems()).containsExactly(
                "its output does not match the expectation /^tampered state refused$/");
    }

    @Test
    void an_example_that_does_not_finish_is_stopped_and_fails() {
        ExampleRunner impatient = new ExampleRunner(Map.of(), Duration.ofSeconds(2));
        long started = System.nanoTime();

        Outcome outcome = impatient.run(example("sh", "sleep 60\n"));

        assertThat(outcome.problems()).singleElement().asString().startsWith("did not finish within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_java_example_must_be_valid_java_21_even_on_a_newer_jdk() {
        // An instance main method in an unnamed class: final only in Java 25 (JEP 512).
        Outcome outcome = runner.run(example("java", "void main() {\n    System.out.println(\"hi\");\n}\n"));

        assertThat(outcome.passed()).isFalse();
    }
}
