package pot.login.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A main class of the test classpath in a JVM of its own, with environment variables of its own: the only way to
 * give Micronaut real ones. The child gets none of this JVM's {@code POT_LOGIN_*} or {@code MICRONAUT_*} variables.
 */
public final class ChildJvm {

    private static final long TIMEOUT_SECONDS = 90;

    private ChildJvm() {
    }

    record Result(int exitCode, String output) {
    }

    static Result run(Class<?> main, Map<String, String> environment, List<String> jvmOptions, List<String> args) {
        return run(main, environment, jvmOptions, args, () -> false);
    }

    /**
     * @param whileRunning polled until the child ends; returning true fails the run: what must never happen while
     *                     the child lives
     */
    static Result run(Class<?> main, Map<String, String> environment, List<String> jvmOptions, List<String> args,
                      BooleanSupplier whileRunning) {
        try {
            Path output = Files.createTempFile("child-jvm", ".log");
            try {
                Process child = processBuilder(main, environment, jvmOptions, args).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                try {
                    while (!child.waitFor(20, TimeUnit.MILLISECONDS)) {
                        if (whileRunning.getAsBoolean()) {
                            throw new AssertionError("while the child ran: " + Files.readString(output));
                        }
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("the child did not end within " + TIMEOUT_SECONDS + " s: "
                                    + Files.readString(output));
                        }
                    }
                } finally {
                    child.destroyForcibly();
                }
                return new Result(child.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The child's command line and environment, not yet started: the test classpath, a small heap and quick start,
     * none of this JVM's {@code POT_LOGIN_*} or {@code MICRONAUT_*} variables, then {@code environment}.
     */
    public static ProcessBuilder processBuilder(Class<?> main, Map<String, String> environment,
                                                List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.timezone=UTC",
                "-cp", System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("POT_LOGIN")
                || name.startsWith("MICRONAUT"));
        builder.environment().putAll(environment);
        return builder;
    }
}
