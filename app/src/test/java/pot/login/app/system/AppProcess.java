package pot.login.app.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import pot.login.app.Application;
import pot.login.app.ChildJvm;

/**
 * One instance of the app as production runs it: {@link Application#main} in a JVM of its own, configured only by
 * environment variables, on a port of the caller's choosing (the same one again after a restart, as a load balancer
 * expects). Started means it answers HTTP; stopped means SIGTERM, then a kill if it does not exit in time.
 */
final class AppProcess implements AutoCloseable {

    /** As long as {@code ChildJvm} waits: a start takes many times longer on a machine busy with other builds. */
    private static final Duration ANSWERS_WITHIN = Duration.ofSeconds(90);
    /** Above what a graceful shutdown with no request under way takes, below the 15 s grace period. */
    private static final Duration EXITS_WITHIN = Duration.ofSeconds(10);
    private static final HttpClient PROBE = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(1))
            .build();

    private final String name;
    private final int port;
    private final Process process;
    private final Path output;
    private Duration startedIn;

    private AppProcess(String name, int port, Process process, Path output) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts the app and returns once it answers on {@code port}, or throws with the child's output after having
     * stopped it: a failed start leaves no process behind.
     */
    static AppProcess start(String name, int port, Map<String, String> environment) {
        Map<String, String> variables = new HashMap<>(environment);
        variables.put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        variables.put("MICRONAUT_SERVER_HOST", "localhost");
        long start = System.nanoTime();
        AppProcess app;
        try {
            Path output = Files.createTempFile("app-" + name, ".log");
            Process process = ChildJvm.processBuilder(Application.class, variables, List.of(), List.of())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            app = new AppProcess(name, port, process, output);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start app " + name, e);
        }
        try {
            app.awaitAnswer(start);
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port).resolve(path);
    }

    int port() {
        return port;
    }

    /** From the start of the JVM to its first HTTP answer. */
    Duration startedIn() {
        return startedIn;
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(the output of app " + name + " could not be read: " + e + ")";
        }
    }

    private void awaitAnswer(long start) {
        long deadline = start + ANSWERS_WITHIN.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(uri("/me")).timeout(Duration.ofSeconds(2)).GET().build();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("app " + name + " exited with " + process.exitValue()
                        + " before it answered on port " + port + ":\n" + output());
            }
            try {
                PROBE.send(probe, HttpResponse.BodyHandlers.discarding());
                startedIn = Duration.ofNanos(System.nanoTime() - start);
                return;
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while app " + name + " started", e);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("app " + name + " did not answer on port " + port + " within "
                        + ANSWERS_WITHIN.toSeconds() + " s:\n" + output());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while app " + name + " started", e);
            }
        }
    }

    /** SIGTERM, as a platform stops an instance; a kill if it has not exited within {@link #EXITS_WITHIN}. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(EXITS_WITHIN.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(EXITS_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                // A temporary file: the OS cleans up what is left.
            }
        }
    }
}
