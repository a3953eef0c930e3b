package pot.login.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap soak: virtual users (each its own {@link LoadBrowser}) sign in through pot-login's HTTP stack
 * ({@link Scenario#signInForSoak}) until {@code signIns} have been attempted; before the first (after a short
 * warm-up) and at every {@code signIns / samples}, the load pauses, the app runs a full GC ({@code jcmd GC.run}) and
 * its heap used after it is read ({@code GC.heap_info}), with its VmRSS. What a leak per sign-in would show is the heap
 * after full GC rising with the sign-ins; what the bounded stores hold shows as a rise that stops.
 *
 * <p>Standalone: {@link #main} starts the sandbox and the app's fat jar (as {@link LoadDriver} does) and prints the
 * table; system properties {@code bench.appJar}, {@code bench.classpath}, {@code bench.logs}, {@code bench.soakSignIns}
 * (1 000 000), {@code bench.soakUsers} (24), {@code bench.soakSamples} (20), {@code bench.soakWarmUp}. See bench/soak.
 */
public final class HeapSoak {

    /**
     * Growth from the sample at 20 % of the run to the last ({@link Figures#growthMiB()}) that still counts as flat.
     * The first part of a run
     * legitimately fills what is bounded but not yet full: the used-state store (one entry per sign-in, about 200 bytes,
     * kept for the state's 10-minute max-age, at most {@code pot-login.used-states-maximum-size}, 100 000), the
     * verified-signature cache (one per token, 5-minute TTL, at most 100 000), the user cache (30-second TTL), and the
     * JIT's and Netty's pools to their working size. Whatever the rate, the two large stores are full or in steady state
     * after at most 100 000 sign-ins (their bound, or fewer when the rate times their lifetime is under it), a tenth of
     * a million: so from the 20 % sample on, what still rises is per
     * sign-in. 2 MiB over 800 000 sign-ins is under 3 bytes each, less than any object kept per sign-in, and above
     * what one sample's heap varies by (buffers and cache slots in transit, Caffeine's lazy expiry).
     * A trial much shorter than a million is not past the fill unless the stores are made small (see bench/soak).
     */
    static final double FLAT_TOLERANCE_MIB = 2.0;
    /**
     * The same tolerance as a rate, 2 MiB over the 800 000 sign-ins from the 20 % sample of a million to its end: a
     * shorter run is not called flat for a rise that would come to more than 2 MiB over those.
     */
    static final double FLAT_TOLERANCE_MIB_PER_100K = FLAT_TOLERANCE_MIB / 8;
    /** Where the verdict's baseline is: after the bounded stores have had a fifth of the run to fill. */
    static final double BASELINE_FRACTION = 0.2;
    private static final Pattern GENERATION_USED = Pattern.compile("^\\S.*\\btotal \\d+K, used (\\d+)K");

    /**
     * One reading after {@code signIns} attempts ({@code errors} of them failed): the app's heap after full GC and
     * VmRSS, the sandbox's heap after full GC (NaN when the soak was not given its pid), the wall time since the
     * first sample, sign-ins per second since the previous sample and over the load so far (the pauses to sample
     * excluded from both).
     */
    public record Sample(long signIns, double heapAfterGcMiB, double rssMiB, double sandboxHeapAfterGcMiB,
                         long errors, Duration elapsed, double recentSignInsPerSecond, double signInsPerSecond) {
    }

    /**
     * The soak's figures: {@code target} sign-ins by {@code users} virtual users, the samples (the first one after the
     * warm-up, before any counted sign-in), and the first few error messages.
     */
    public record Figures(long target, int users, List<Sample> samples, List<String> errorSamples) {

        public Figures {
            samples = List.copyOf(samples);
            errorSamples = List.copyOf(errorSamples);
        }

        /** The first sample at or after 20 % of the run: the verdict's baseline. */
        public Sample baseline() {
            long from = (long) Math.ceil(last().signIns() * BASELINE_FRACTION);
            return samples.stream().filter(s -> s.signIns() >= from).findFirst().orElse(last());
        }

        public Sample last() {
            return samples.getLast();
        }

        /**
         * The heap's growth from the baseline to the last sample, MiB: the least-squares slope of heap after full GC
         * over sign-ins, from the baseline on, times the sign-ins between. A slope, not last minus baseline: one
         * sample's heap varies by a MiB or two (Caffeine evicts and expires in batches, Netty's recyclers are per
         * thread), which a difference of two samples would take for growth or hide.
         */
        public double growthMiB() {
            return growthMiBPer100k() * (last().signIns() - baseline().signIns()) / 100_000;
        }

        /** The fitted growth per 100 000 sign-ins from the baseline on (NaN with fewer than two samples there). */
        public double growthMiBPer100k() {
            List<Sample> fitted = samples.subList(samples.indexOf(baseline()), samples.size());
            if (fitted.size() < 2) {
                return Double.NaN;
            }
            double meanX = fitted.stream().mapToDouble(Sample::signIns).average().orElseThrow();
            double meanY = fitted.stream().mapToDouble(Sample::heapAfterGcMiB).average().orElseThrow();
            double xy = 0;
            double xx = 0;
            for (Sample s : fitted) {
                xy += (s.signIns() - meanX) * (s.heapAfterGcMiB() - meanY);
                xx += (s.signIns() - meanX) * (s.signIns() - meanX);
            }
            return xy / xx * 100_000;
        }

        /** Last sample's heap after full GC minus the baseline's, MiB. */
        public double lastMinusBaselineMiB() {
            return last().heapAfterGcMiB() - baseline().heapAfterGcMiB();
        }

        /**
         * The growth is within {@link #FLAT_TOLERANCE_MIB} and {@link #FLAT_TOLERANCE_MIB_PER_100K} (errors are
         * reported apart, in {@link #verdict()}).
         */
        public boolean flat() {
            double rate = growthMiBPer100k();
            return !Double.isNaN(rate) && growthMiB() <= FLAT_TOLERANCE_MIB && rate <= FLAT_TOLERANCE_MIB_PER_100K;
        }

        public long errors() {
            return last().errors();
        }

        /** Sign-ins per second over the whole counted run, the pauses to sample excluded. */
        public double signInsPerSecond() {
            return last().signInsPerSecond();
        }

        public String verdict() {
            Sample base = baseline();
            return String.format(Locale.ROOT, "%s: heap after full GC %+.1f MiB from %,d to %,d sign-ins, fitted "
                            + "(%+.2f MiB per 100 000; last minus first %+.1f MiB; flat means at most %.1f MiB and "
                            + "%.2f MiB per 100 000), %,d errors, %.0f sign-ins/s at %d users.",
                    flat() ? "**Flat**" : "**Not flat**", growthMiB(), base.signIns(), last().signIns(),
                    growthMiBPer100k(), lastMinusBaselineMiB(), FLAT_TOLERANCE_MIB, FLAT_TOLERANCE_MIB_PER_100K,
                    errors(), signInsPerSecond(), users);
        }

        public String markdown() {
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "### Heap over %,d sign-ins%n%n", last().signIns()));
            md.append("pot-login (fat jar, -Xmx128m -Xms32m -XX:+UseSerialGC), ").append(users)
                    .append(" virtual users, /login → sandbox sign-in → /login/complete → /me; the load paused at each "
                            + "sample, `jcmd GC.run`, then `GC.heap_info`.\n\n");
            boolean sandbox = samples.stream().anyMatch(s -> !Double.isNaN(s.sandboxHeapAfterGcMiB()));
            md.append("| sign-ins so far | heap after full GC (MiB) | RSS (MiB) |")
                    .append(sandbox ? " sandbox heap after full GC (MiB) |" : "")
                    .append(" errors so far | elapsed | sign-ins/s since the last |\n");
            md.append("|---:|---:|---:|").append(sandbox ? "---:|" : "").append("---:|---:|---:|\n");
            for (Sample s : samples) {
                md.append(String.format(Locale.ROOT, "| %,d | %.1f | %.1f |", s.signIns(), s.heapAfterGcMiB(),
                        s.rssMiB()));
                if (sandbox) {
                    md.append(String.format(Locale.ROOT, " %.1f |", s.sandboxHeapAfterGcMiB()));
                }
                md.append(String.format(Locale.ROOT, " %,d | %s | %.0f |%n", s.errors(), clock(s.elapsed()),
                        s.recentSignInsPerSecond()));
            }
            md.append('\n').append(verdict()).append('\n');
            if (!errorSamples.isEmpty()) {
                md.append("\nErrors, first ones: ").append(String.join("; ", errorSamples)).append('\n');
            }
            return md.toString();
        }
    }

    private final long appPid;
    private final long sandboxPid;
    private final Scenario scenario;
    private final Object gate = new Object();
    /** Guarded by {@code gate}: attempts started, attempts finished, how many may be started now, and the end. */
    private long started;
    private long finished;
    private long limit;
    private boolean over;
    private long errors;
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

    private HeapSoak(long appPid, long sandboxPid, Scenario scenario) {
        this.appPid = appPid;
        this.sandboxPid = sandboxPid;
        this.scenario = scenario;
    }

    /** {@code signIns} sign-ins by {@code users} virtual users against {@code appBase}, {@code samples} samples. */
    public static Figures run(long appPid, String appBase, long signIns, int users, int samples) throws Exception {
        return run(appPid, 0, appBase, signIns, users, samples, defaultWarmUp(signIns));
    }

    /**
     * The same, also sampling the sandbox's heap after full GC ({@code sandboxPid}; 0: not), with an explicit
     * warm-up: {@code warmUp} sign-ins before the first sample, not counted.
     */
    public static Figures run(long appPid, long sandboxPid, String appBase, long signIns, int users, int samples,
                              long warmUp) throws Exception {
        if (signIns < samples || samples < 1 || users < 1 || warmUp < 0) {
            throw new IllegalArgumentException("a soak needs signIns >= samples >= 1, users >= 1, warmUp >= 0; got "
                    + signIns + ", " + samples + ", " + users + ", " + warmUp);
        }
        return new HeapSoak(appPid, sandboxPid, Scenario.signInForSoak(appBase)).soak(signIns, users, samples, warmUp);
    }

    /** A short warm-up, for the JIT and the connections: 5 % of the run, at most 5 000 sign-ins. */
    static long defaultWarmUp(long signIns) {
        return Math.min(5_000, Math.max(signIns / 20, 100));
    }

    private Figures soak(long target, int users, int samples, long warmUp) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Thread vu = Thread.ofPlatform().name("soak-vu-" + i).daemon().start(this::virtualUser);
            threads.add(vu);
        }
        List<Sample> taken = new ArrayList<>();
        try {
            advanceTo(warmUp);
            log(String.format(Locale.ROOT, "warm-up: %,d sign-ins, %,d errors", warmUp, errorsNow()));
            long errorsAtStart = errorsNow();
            long loadNanos = 0;
            long wallStart = System.nanoTime();
            taken.add(sample(0, 0, 0, loadNanos, errorsAtStart, wallStart));
            for (int i = 1; i <= samples; i++) {
                long upTo = i == samples ? target : target * i / samples;
                long t = System.nanoTime();
                advanceTo(warmUp + upTo);
                long stretch = System.nanoTime() - t;
                loadNanos += stretch;
                taken.add(sample(upTo, upTo - taken.getLast().signIns(), stretch, loadNanos, errorsAtStart,
                        wallStart));
            }
        } finally {
            synchronized (gate) {
                over = true;
                gate.notifyAll();
            }
            for (Thread vu : threads) {
                vu.join(Duration.ofSeconds(40));
            }
        }
        return new Figures(target, users, taken, errorSamples);
    }

    /** Lets the virtual users start attempts up to {@code attempts} in all, and waits until all of those finished. */
    private void advanceTo(long attempts) throws InterruptedException {
        synchronized (gate) {
            limit = attempts;
            gate.notifyAll();
            while (finished < attempts) {
                gate.wait();
            }
        }
    }

    private long errorsNow() {
        synchronized (gate) {
            return errors;
        }
    }

    private Sample sample(long signIns, long recent, long recentNanos, long loadNanos, long errorsAtStart,
                          long wallStart) throws Exception {
        double heap = heapAfterFullGcMiB(appPid);
        double rss = ProcFs.rssMiB(appPid);
        double sandbox = sandboxPid == 0 ? Double.NaN : heapAfterFullGcMiB(sandboxPid);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - wallStart);
        double rate = loadNanos == 0 ? 0 : signIns / (loadNanos / 1e9);
        double recentRate = recentNanos == 0 ? 0 : recent / (recentNanos / 1e9);
        Sample sample = new Sample(signIns, heap, rss, sandbox, errorsNow() - errorsAtStart, elapsed, recentRate,
                rate);
        log(String.format(Locale.ROOT, "%,d sign-ins: heap after full GC %.1f MiB, RSS %.1f MiB, sandbox heap %.1f MiB, "
                        + "%,d errors, %.0f sign-ins/s (%.0f overall), elapsed %s", signIns, heap, rss, sandbox,
                sample.errors(), recentRate, rate, clock(elapsed)));
        return sample;
    }

    /** One virtual user: its own browser; a failure costs it its browser, as in {@link VirtualUsers}. */
    private void virtualUser() {
        LoadBrowser browser = new LoadBrowser();
        while (true) {
            synchronized (gate) {
                while (started >= limit && !over) {
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (over) {
                    return;
                }
                started++;
            }
            boolean failed = false;
            try {
                scenario.once(browser);
            } catch (Exception e) {
                failed = true;
                if (errorSamples.size() < 3) {
                    errorSamples.add(String.valueOf(e));
                }
                browser = new LoadBrowser();
            }
            synchronized (gate) {
                finished++;
                if (failed) {
                    errors++;
                }
                if (finished >= limit) {
                    gate.notifyAll();
                }
            }
        }
    }

    /**
     * A full GC in the process, then its heap in use (young + old) as {@code GC.heap_info} reports it: with
     * -XX:+UseSerialGC the lines "DefNew total …K, used …K" and "Tenured total …K, used …K". One jcmd for both
     * commands ({@code -f}): each jcmd is a JVM start, which on 2 cores costs more than the GC.
     */
    static double heapAfterFullGcMiB(long pid) throws IOException, InterruptedException {
        Path commands = Files.createTempFile("heap-soak-", ".jcmd");
        try {
            Files.writeString(commands, "GC.run\nGC.heap_info\n");
            String out = jcmd(pid, "-f", commands.toString());
            long usedKiB = 0;
            int generations = 0;
            for (String line : out.split("\n")) {
                Matcher used = GENERATION_USED.matcher(line);
                if (used.find()) {
                    usedKiB += Long.parseLong(used.group(1));
                    generations++;
                }
            }
            if (generations == 0) {
                throw new IllegalStateException("no heap figures in jcmd's GC.heap_info of pid " + pid + ": " + out);
            }
            return usedKiB / 1024.0;
        } finally {
            Files.deleteIfExists(commands);
        }
    }

    private static String jcmd(long pid, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        command.add(String.valueOf(pid));
        command.addAll(List.of(arguments));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = jcmd.getInputStream().readAllBytes();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", arguments) + " failed for pid " + pid + ": "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static String clock(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private static void log(String line) {
        System.out.println(Instant.now().toString().substring(11, 19) + " soak: " + line);
        System.out.flush();
    }

    /**
     * A standalone soak: the sandbox ({@link BenchSandbox}, -Xmx256m) and pot-login's fat jar (the server flags of
     * {@link LoadDriver}) as processes of their own, then {@link #run}, sampling the sandbox's heap too, since the
     * sandbox must not be what stops a long run.
     */
    public static void main(String[] args) throws Exception {
        String appJar = required("bench.appJar");
        String classpath = required("bench.classpath");
        long signIns = Long.getLong("bench.soakSignIns", 1_000_000);
        int users = Integer.getInteger("bench.soakUsers", 24);
        int samples = Integer.getInteger("bench.soakSamples", 20);
        long warmUp = Long.getLong("bench.soakWarmUp", defaultWarmUp(signIns));
        Processes.logs = Path.of(System.getProperty("bench.logs", "bench/target/logs"));
        Files.createDirectories(Processes.logs);
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "soak-stop"));

        int portalPort = Processes.freePort();
        int appPort = Processes.freePort();
        String portal = "http://127.0.0.1:" + portalPort;
        String app = "http://localhost:" + appPort;
        // The peers' redirect URIs are registered but never used here.
        Process sandbox = Processes.start("soak-sandbox", Map.of(), List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp",
                classpath, BenchSandbox.class.getName(), String.valueOf(portalPort), app + "/login/complete",
                "http://localhost:1/oauth/callback/sandbox", "http://localhost:1/login/oauth2/code/sandbox"));
        Processes.awaitStatus(URI.create(portal + "/keys/jwks.json"), 200, sandbox);
        log("sandbox up at " + portal + " (pid " + sandbox.pid() + ")");

        Map<String, String> env = LoadDriver.potLoginEnv(portal, app, appPort);
        // The driver's own POT_LOGIN_* settings go to the app, e.g. small stores for a short trial.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("POT_LOGIN_") && !env.containsKey(name)) {
                env.put(name, value);
            }
        });
        List<String> jvm = new ArrayList<>(LoadDriver.SERVER_FLAGS);
        jvm.addAll(List.of("-jar", appJar));
        Process ours = Processes.start("soak-pot-login", env, jvm);
        Processes.awaitStatus(URI.create(app + "/login"), 303, ours);
        log("pot-login up at " + app + " (pid " + ours.pid() + ")");

        Figures figures = run(ours.pid(), sandbox.pid(), app, signIns, users, samples, warmUp);
        System.out.println();
        System.out.println(figures.markdown());
        System.out.printf(Locale.ROOT, "The sandbox (-Xmx256m): RSS %.1f MiB at the end.%n",
                ProcFs.rssMiB(sandbox.pid()));
        Processes.stopAll();
        System.exit(figures.errors() == 0 ? 0 : 1);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("system property " + property + " is not set");
        }
        return value;
    }
}
