package pot.login.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pot.login.docs.MarkdownExamples.Example;

/**
 * Runs one example as a reader would: the shell's with {@code bash}, Java's as a single-file source program on the
 * JDK that runs this test (held to Java 21 with {@code --source 21}), Python's with {@code python3}, JavaScript's as
 * an ES module with {@code node}; each in a fresh directory, with the given environment added.
 */
final class ExampleRunner {

    private static final Pattern PUBLIC_CLASS = Pattern.compile("^public\\s+(?:final\\s+)?class\\s+(\\w+)",
            Pattern.MULTILINE);

    private final Map<String, String> environment;
    private final Duration timeout;

    ExampleRunner(Map<String, String> environment, Duration timeout) {
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
    }

    /** What running an example did: whether it passed, and if not, why, with what it printed. */
    record Outcome(Example example, Duration took, List<String> problems, String stdout, String stderr) {

        boolean passed() {
            return problems.isEmpty();
        }

        String report() {
            return example.where() + " (" + example.language() + "): " + String.join("; ", problems)
                    + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    Outcome run(Example example) {
        long started = System.nanoTime();
        try {
            Path directory = Files.createTempDirectory("doc-example-");
            Path source = directory.resolve(fileName(example));
            Files.writeString(source, example.code());
            Path stdout = directory.resolve("stdout.txt");
            Path stderr = directory.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command(example.language(), source))
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            List<String> problems = new ArrayList<>();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                problems.add("did not finish within " + timeout.toSeconds()
                        + " s (a block that cannot run here needs <!-- not-runnable: why -->)");
            } else if (process.exitValue() != 0) {
                problems.add("exited with " + process.exitValue());
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            for (Pattern expected : example.expectations()) {
                if (!expected.matcher(out).find()) {
                    problems.add("its output does not match the expectation /" + expected.pattern() + "/");
                }
            }
            return new Outcome(example, Duration.ofNanos(System.nanoTime() - started), List.copyOf(problems), out,
                    Files.readString(stderr, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + example.where(), e);
        }
    }

    private static String fileName(Example example) {
        return switch (example.language()) {
            case "sh" -> "example.sh";
            // The launcher starts the first class of the file; named after it, as a reader would save it.
            case "java" -> {
                Matcher name = PUBLIC_CLASS.matcher(example.code());
                yield (name.find() ? name.group(1) : "Example") + ".java";
            }
            case "python" -> "example.py";
            // ES module: top-level await, as Node 20 runs a .mjs file.
            case "javascript" -> "example.mjs";
            default -> throw new IllegalArgumentException("no runner for " + example.language() + " at "
                    + example.where());
        };
    }

    private static List<String> command(String language, Path source) {
        return switch (language) {
            // -e and pipefail: a failing command in the middle of a block fails it, not only the last one.
            case "sh" -> List.of("bash", "-e", "-o", "pipefail", source.toString());
            case "java" -> List.of(javaOfThisTest(), "--source", "21", source.toString());
            case "python" -> List.of("python3", source.toString());
            case "javascript" -> List.of("node", source.toString());
            default -> throw new IllegalArgumentException("no runner for " + language);
        };
    }

    private static String javaOfThisTest() {
        return ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the command of this JVM is unknown"));
    }
}
