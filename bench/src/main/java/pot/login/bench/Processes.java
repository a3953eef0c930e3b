package pot.login.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The servers under test as processes of their own: started with their output in {@code bench.logs}, awaited until
 * they answer, launched with a class-data-sharing archive and timed, and all stopped when the driver exits.
 */
final class Processes {

    /** BENCH_CDS=0: no class-data-sharing archive (else each app gets one from a training start). */
    static final boolean CDS = !"0".equals(System.getenv("BENCH_CDS"));
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final List<Process> STARTED = new ArrayList<>();
    static Path logs;

    private Processes() {
    }

    static Process start(String name, Map<String, String> env, List<String> javaArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // BENCH_PROFILE=1: a JFR recording per server (bench/target/logs/<name>.jfr), to tune from a profile, not a guess.
        if ("1".equals(System.getenv("BENCH_PROFILE"))) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + logs.resolve(name + ".jfr").toAbsolutePath());
        }
        command.addAll(javaArgs);
        return startCommand(name, env, command);
    }

    /** Any program as a process of the bench: its output in {@code bench.logs/<name>.log}, stopped by {@link #stopAll}. */
    static Process startCommand(String name, Map<String, String> env, List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        synchronized (STARTED) {
            STARTED.add(process);
        }
        return process;
    }

    /** An app as the driver starts it: its process environment, its arguments after the JVM flags, its first URL. */
    record App(String name, Map<String, String> env, List<String> args, URI ready, int readyStatus) {
    }

    record Launched(String name, Process process, double startMs, double idleRssMiB) {
        void stop() throws InterruptedException {
            Processes.stop(process);
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Starts the app with {@code flags} and (unless BENCH_CDS=0) the class-data-sharing archive that a training start
     * with the same flags wrote as it exited, as run-demo does; starts it {@code starts} times (all but the last
     * stopped again), measures process start to first response (the median), then VmRSS 5 s after the last start.
     * Every app is trained and measured the same way.
     */
    static Launched launch(App app, String setup, List<String> flags, int starts) throws Exception {
        String name = app.name() + "-" + setup;
        List<String> jvm = new ArrayList<>(flags);
        if (CDS) {
            // CDS lists the classes it cannot archive as warnings while writing: harmless, so only errors are shown.
            jvm.addAll(List.of("-Xshare:auto", "-Xlog:cds=error"));
            Path archive = logs.resolve(name + ".jsa").toAbsolutePath();
            Files.deleteIfExists(archive); // an archive of another build of the jar would be refused
            List<String> training = new ArrayList<>(jvm);
            training.add("-XX:ArchiveClassesAtExit=" + archive);
            training.addAll(app.args());
            Process trainee = start(name + "-cds-training", app.env(), training);
            awaitStatus(app.ready(), app.readyStatus(), trainee);
            trainee.destroy(); // a normal exit (SIGTERM): the JVM writes the archive as it exits
            if (!trainee.waitFor(60, TimeUnit.SECONDS) || !Files.isRegularFile(archive)) {
                throw new IllegalStateException(name + ": no class-data-sharing archive written; see " + logs);
            }
            jvm.add("-XX:SharedArchiveFile=" + archive);
        }
        jvm.addAll(app.args());
        // Start times on a shared 2-core machine vary from run to run: the median of several starts, the last kept.
        List<Double> startsMs = new ArrayList<>();
        Process process = null;
        for (int i = 0; i < starts; i++) {
            if (process != null) {
                stop(process);
            }
            long t0 = System.nanoTime();
            process = start(name, app.env(), jvm);
            awaitStatus(app.ready(), app.readyStatus(), process);
            startsMs.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(startsMs);
        double startMs = startsMs.get(startsMs.size() / 2);
        Thread.sleep(5000);
        double idleRss = ProcFs.rssMiB(process.pid());
        LoadDriver.log(String.format(Locale.ROOT, "%s up (pid %d, %s flags%s): first response after %.0f ms "
                        + "(median of %s), idle RSS %.1f MiB", app.name(), process.pid(), setup, CDS ? " + CDS" : "",
                startMs, startsMs, idleRss));
        return new Launched(name, process, startMs, idleRss);
    }

    static void stopAll() {
        synchronized (STARTED) {
            for (Process process : STARTED) {
                process.destroy();
            }
            for (Process process : STARTED) {
                try {
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                }
            }
            STARTED.clear();
        }
    }

    /** Polls (every 5 ms, at most {@link #START_TIMEOUT}) until the URI answers {@code status} (-1: any 2xx/3xx). */
    static void awaitStatus(URI uri, int status, Process process) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(uri + ": its process exited; see " + logs);
            }
            try {
                int got = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (got == status || (status == -1 && got >= 200 && got < 400)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException(uri + " did not answer " + status + " within " + START_TIMEOUT);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
