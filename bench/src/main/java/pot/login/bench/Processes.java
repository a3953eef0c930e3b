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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The servers under test as processes of their own: started with their output in {@code bench.logs}, awaited until
 * they answer, trained (class data, or JDK 25's AOT cache trained on real sign-ins), timed, and all stopped when the
 * driver exits.
 */
final class Processes {

    /** How every app's class data is prepared before its measured starts: BENCH_CDS = aot, cds or 0. */
    enum ClassData {
        /** JDK 25's AOT cache (JEP 483/514/515): classes loaded and linked, and method profiles of real sign-ins. */
        AOT("JDK 25 AOT cache trained on real sign-ins"),
        /** A dynamic class-data-sharing archive written by a start alone (start, first response, exit). */
        CDS("dynamic CDS archive from a start alone"),
        NONE("none");

        final String text;

        ClassData(String text) {
            this.text = text;
        }

        static ClassData fromEnvironment() {
            String value = Optional.ofNullable(System.getenv("BENCH_CDS")).orElse("").trim();
            return switch (value) {
                case "" -> Runtime.version().feature() >= 25 ? AOT : CDS;
                case "aot" -> AOT;
                case "cds", "1" -> CDS;
                case "0" -> NONE;
                default -> throw new IllegalArgumentException("BENCH_CDS is neither aot, cds nor 0: " + value);
            };
        }
    }

    static final ClassData CLASS_DATA = ClassData.fromEnvironment();
    /** Sign-ins a trainee of the AOT cache performs (bench.trainSignIns), at {@link #TRAIN_USERS} users. */
    static final int TRAIN_SIGN_INS = Integer.getInteger("bench.trainSignIns", 300);
    static final int TRAIN_USERS = 4;
    /** The trainee's JVM assembles the AOT cache in a second process as it exits: that takes a while on 2 cores. */
    static final Duration ASSEMBLY_TIMEOUT = Duration.ofSeconds(180);
    /** What -Xlog:aot=info prints on JDK 25 when a start maps the cache and uses its linked classes. */
    static final String AOT_CACHE_USED = "Using AOT-linked classes: true";
    /** What JDK 25 prints, and exits, when -XX:AOTMode=on cannot use the cache. */
    static final String AOT_CACHE_REFUSED = "Unable to use AOT cache";
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

    /**
     * An app as the driver starts it: its process environment, its arguments after the JVM flags, its first URL and
     * the status that URL answers, and what a trainee of the AOT cache repeats (a sign-in; the bare app's 303).
     */
    record App(String name, Map<String, String> env, List<String> args, URI ready, int readyStatus,
            Scenario training) {
    }

    /** One start of an app: process start to first response, and VmRSS 5 s after that response. */
    record Launched(String name, Process process, double startMs, double idleRssMiB) {
        void stop() throws InterruptedException {
            Processes.stop(process);
        }
    }

    /** An app with one set of flags, trained: the JVM arguments of each of its measured starts. */
    record Trained(App app, String setup, List<String> jvm) {
        String name() {
            return app.name() + "-" + setup;
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /**
     * Prepares the app's class data for {@code flags} ({@link #CLASS_DATA}), once, before its starts: JDK 25 refuses
     * a cache or archive made with other flags, so the trainee runs with the very flags of the measured starts.
     */
    static Trained train(App app, String setup, List<String> flags) throws Exception {
        String name = app.name() + "-" + setup;
        List<String> jvm = new ArrayList<>(flags);
        switch (CLASS_DATA) {
            case AOT -> {
                Path cache = logs.resolve(name + ".aot").toAbsolutePath();
                trainAotCache(app, name, flags, cache);
                // AOTMode=on: a cache the JVM cannot use is an error at start, not a silently slow start.
                jvm.addAll(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:aot=info"));
            }
            case CDS -> {
                // CDS lists the classes it cannot archive as warnings while writing: harmless; only errors are shown.
                jvm.addAll(List.of("-Xshare:auto", "-Xlog:cds=error"));
                Path archive = logs.resolve(name + ".jsa").toAbsolutePath();
                trainCdsArchive(app, name, jvm, archive);
                jvm.add("-XX:SharedArchiveFile=" + archive);
            }
            case NONE -> {
            }
        }
        jvm.addAll(app.args());
        return new Trained(app, setup, List.copyOf(jvm));
    }

    /**
     * The AOT cache, trained on real work: the trainee signs in {@link #TRAIN_SIGN_INS} times, so that the cache
     * holds the sign-in's method profiles (JEP 515), not only what a start loads; then a normal exit (SIGTERM), at
     * which the JVM forks the step that assembles the cache.
     */
    static void trainAotCache(App app, String name, List<String> flags, Path cache) throws Exception {
        Files.deleteIfExists(cache); // a cache of another build of the jar would be refused
        List<String> training = new ArrayList<>(flags);
        training.add("-XX:AOTCacheOutput=" + cache);
        training.addAll(app.args());
        long t0 = System.nanoTime();
        Process trainee = start(name + "-aot-training", app.env(), training);
        awaitStatus(app.ready(), app.readyStatus(), trainee);
        VirtualUsers.Count trained = VirtualUsers.repeat(TRAIN_USERS, TRAIN_SIGN_INS, app.training());
        if (trained.ok() < TRAIN_SIGN_INS) {
            throw new IllegalStateException(name + ": the AOT training signed in " + trained.ok() + " times of "
                    + TRAIN_SIGN_INS + " (" + trained.errors() + " errors, first: " + trained.firstError() + ")");
        }
        trainee.destroy();
        if (!trainee.waitFor(ASSEMBLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !Files.isRegularFile(cache)) {
            throw new IllegalStateException(name + ": no AOT cache " + cache.getFileName() + " within "
                    + ASSEMBLY_TIMEOUT + " of the trainee's exit; see " + logs.resolve(name + "-aot-training.log"));
        }
        LoadDriver.log(String.format(Locale.ROOT, "%s: AOT cache trained on %d sign-ins in %.0f s (%.0f MiB)", name,
                trained.ok(), (System.nanoTime() - t0) / 1e9, Files.size(cache) / 1024.0 / 1024.0));
    }

    /** The dynamic CDS archive that a start alone writes as it exits, as run-demo did before JDK 25. */
    static void trainCdsArchive(App app, String name, List<String> jvm, Path archive) throws Exception {
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
    }

    /**
     * One start of a trained app: process start to first response, then VmRSS 5 s later. With the AOT cache, the
     * start's log must say that the cache was opened (its -Xlog:aot lines), else the start is an error.
     */
    static Launched startTimed(Trained trained) throws Exception {
        long t0 = System.nanoTime();
        Process process = start(trained.name(), trained.app().env(), trained.jvm());
        try {
            awaitStatus(trained.app().ready(), trained.app().readyStatus(), process);
        } catch (IllegalStateException exited) {
            if (CLASS_DATA == ClassData.AOT && logHas(trained.name(), AOT_CACHE_REFUSED)) {
                throw new IllegalStateException(trained.name() + ": the JVM refused its AOT cache (made with other "
                        + "flags, or from another jar?); see " + logs.resolve(trained.name() + ".log"), exited);
            }
            throw exited;
        }
        double startMs = (System.nanoTime() - t0) / 1e6;
        Thread.sleep(5000);
        double idleRss = ProcFs.rssMiB(process.pid());
        if (CLASS_DATA == ClassData.AOT) {
            requireAotCacheUsed(trained.name());
        }
        LoadDriver.log(String.format(Locale.ROOT, "%s up (pid %d, %s): first response after %.0f ms, idle RSS %.1f MiB",
                trained.name(), process.pid(), CLASS_DATA.text, startMs, idleRss));
        return new Launched(trained.name(), process, startMs, idleRss);
    }

    static void requireAotCacheUsed(String name) throws IOException {
        if (!logHas(name, AOT_CACHE_USED)) {
            throw new IllegalStateException(name + ": its log has no \"" + AOT_CACHE_USED
                    + "\" line of -Xlog:aot, so the AOT cache was not used; see " + logs.resolve(name + ".log"));
        }
    }

    static boolean logHas(String name, String text) throws IOException {
        return Files.readAllLines(logs.resolve(name + ".log")).stream().anyMatch(line -> line.contains(text));
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
