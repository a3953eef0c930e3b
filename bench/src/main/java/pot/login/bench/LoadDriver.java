package pot.login.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Starts the sandbox portal, pot-login (its fat jar), the peer (micronaut-security-oauth2's own login) and the bare
 * 302 app, each as its own process; signs in through pot-login and through the peer for a fixed time at 1, 16 and 64
 * virtual users (one cookie jar and one HTTP client each, every hop explicit); measures each process's CPU from
 * /proc/PID/stat, RSS from /proc/PID/status, startup to first response; then {@code /login} against the bare 302.
 * Prints one table (with the JMH figures, when given) and writes it to RESULTS.md. Nothing is asserted.
 *
 * <p>System properties: bench.appJar, bench.classpath, bench.results, bench.jmhCsv, bench.logs, bench.clkTck,
 * bench.warmupSeconds (30), bench.warmupRounds (2), bench.levelSeconds (15), bench.floorSeconds (10),
 * bench.levels (1,16,64).
 */
public final class LoadDriver {

    /**
     * The JVM flags of every app under load, as we advise for a server: a capped heap that starts small (RSS follows
     * the heap that is touched), the serial collector (one or two cores), small thread stacks, and both JIT compilers,
     * since a server runs long enough for C2 to pay off (with C1 only, {@code /login} took 353 µs of CPU against
     * 121 µs with both, on the 2-core machine of the first measurement).
     * BENCH_SERVER_FLAGS replaces them for an experiment.
     */
    static final List<String> SERVER_FLAGS = flags("BENCH_SERVER_FLAGS",
            "-Xmx128m -Xms32m -XX:+UseSerialGC -Xss256k");
    /** run-demo's flags (keep the two in step): C1 only, a small code cache: a quick start and a small footprint. */
    static final List<String> DEMO_FLAGS = flags("BENCH_DEMO_FLAGS",
            "-Xmx128m -Xms16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=32m");
    /** BENCH_CDS=0: no class-data-sharing archive (else each app gets one from a training start, as run-demo does). */
    static final boolean CDS = !"0".equals(System.getenv("BENCH_CDS"));
    /** The peer and the bare app log as pot-login does (INFO), not at logback's DEBUG default. */
    static final String LOGBACK = "-Dlogback.configurationFile=bench-logback.xml";
    static final int CLK_TCK = Integer.getInteger("bench.clkTck", 100);
    static final int WARMUP_S = Integer.getInteger("bench.warmupSeconds", 30);
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 2);
    static final int LEVEL_S = Integer.getInteger("bench.levelSeconds", 15);
    static final int FLOOR_S = Integer.getInteger("bench.floorSeconds", 10);
    static final int FLOOR_USERS = 16;
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    static final List<Process> STARTED = new ArrayList<>();
    static Path logs;

    public static void main(String[] args) throws Exception {
        String appJar = required("bench.appJar");
        String classpath = required("bench.classpath");
        Path results = Path.of(required("bench.results"));
        logs = Path.of(System.getProperty("bench.logs", "bench/target/logs"));
        Files.createDirectories(logs);
        List<Integer> levels = java.util.Arrays.stream(System.getProperty("bench.levels", "1,16,64").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Runtime.getRuntime().addShutdownHook(new Thread(LoadDriver::stopAll, "bench-stop"));
        // The load before the command did anything (bench/run passes it), else now.
        String loadBefore = System.getProperty("bench.loadAtStart", Files.readString(Path.of("/proc/loadavg")).trim());

        int portalPort = freePort();
        int appPort = freePort();
        int peerPort = freePort();
        int barePort = freePort();
        String portal = "http://127.0.0.1:" + portalPort;
        String app = "http://localhost:" + appPort;
        String peer = "http://localhost:" + peerPort;
        String bare = "http://localhost:" + barePort;

        // 1. The sandbox portal, alone in its process, with pot-login's and the peer's registrations.
        Process sandbox = start("sandbox", Map.of(), List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                BenchSandbox.class.getName(), String.valueOf(portalPort), app + "/login/complete",
                peer + "/oauth/callback/sandbox"));
        awaitStatus(URI.create(portal + "/keys/jwks.json"), 200, sandbox);
        log("sandbox up at " + portal + " (pid " + sandbox.pid() + ")");

        // 2. pot-login, its fat jar, pointed at the sandbox as at a remote portal.
        Map<String, String> appEnv = new LinkedHashMap<>();
        appEnv.put("MICRONAUT_ENVIRONMENTS", "sandbox");
        appEnv.put("POT_LOGIN_SANDBOX_START", "false");
        appEnv.put("POT_LOGIN_API_ROOT", portal);
        appEnv.put("POT_LOGIN_REDIRECT_URI", app + "/login/complete");
        appEnv.put("MICRONAUT_SERVER_PORT", String.valueOf(appPort));
        App oursApp = new App("pot-login", appEnv, List.of("-jar", appJar), URI.create(app + "/login"), 303);
        // 3. The peer: micronaut-security-oauth2's own authorization-code login, same JVM flags.
        App peerApp = new App("peer", Map.of(), List.of(LOGBACK, "-cp", classpath, PeerApp.class.getName(),
                String.valueOf(peerPort), portal), URI.create(peer + "/oauth/login/sandbox"), -1);
        // 4. The framework floor.
        App bareApp = new App("bare-302", Map.of(), List.of(LOGBACK, "-cp", classpath, BareApp.class.getName(),
                String.valueOf(barePort)), URI.create(bare + "/login"), 303);

        // Start and footprint as the demo runs (run-demo's flags), each app alone, then stopped.
        Launched oursDemo = launch(oursApp, "demo", DEMO_FLAGS, 3);
        oursDemo.stop();
        Launched peerDemo = launch(peerApp, "demo", DEMO_FLAGS, 3);
        peerDemo.stop();
        // Then the server flags, for everything under load.
        Launched oursServer = launch(oursApp, "server", SERVER_FLAGS, 1);
        Process ours = oursServer.process();
        Launched peerServer = launch(peerApp, "server", SERVER_FLAGS, 1);
        Process peerProcess = peerServer.process();
        Process bareProcess = launch(bareApp, "server", SERVER_FLAGS, 1).process();

        Target oursTarget = new Target("pot-login", ours.pid(), sandbox.pid(), SignIn.ours(app));
        Target peerTarget = new Target("peer", peerProcess.pid(), sandbox.pid(), SignIn.peer(peer));

        // Both warmed up first (the sandbox too), then each level for one and then the other, so neither is favoured
        // by running later against a sandbox warmed up by the other.
        Map<String, Map<Integer, Result>> signIns = new LinkedHashMap<>();
        Map<String, Double> loadRss = new LinkedHashMap<>();
        signIns.put(oursTarget.name, new LinkedHashMap<>());
        signIns.put(peerTarget.name, new LinkedHashMap<>());
        // Warm-up in rounds, taking turns: on 2 cores the C2 compiler of a Micronaut app is still busy after one round.
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            for (Target target : List.of(oursTarget, peerTarget)) {
                log("warm-up " + round + "/" + WARMUP_ROUNDS + " " + target.name + ": " + FLOOR_USERS + " users, "
                        + WARMUP_S + " s");
                Result warm = run(target.appPid, target.sandboxPid, FLOOR_USERS, WARMUP_S, target.scenario);
                log("  " + warm.summary());
            }
        }
        for (int level = 0; level < levels.size(); level++) {
            int users = levels.get(level);
            // Which target goes first alternates, so that neither always meets the other's leftovers (JIT, GC).
            List<Target> order = level % 2 == 0 ? List.of(oursTarget, peerTarget) : List.of(peerTarget, oursTarget);
            for (Target target : order) {
                log(target.name + ": " + users + " users, " + LEVEL_S + " s");
                Result result = run(target.appPid, target.sandboxPid, users, LEVEL_S, target.scenario);
                log("  " + result.summary());
                signIns.get(target.name).put(users, result);
                loadRss.put(target.name, result.maxRssMiB);
            }
        }

        // 5. /login alone: pot-login's against the bare 302, same tool, same concurrency.
        Scenario oursLogin = Scenario.loginOnly(app + "/login");
        Scenario bareLogin = Scenario.loginOnly(bare + "/login");
        run(ours.pid(), sandbox.pid(), FLOOR_USERS, 3, oursLogin);
        Result oursFloor = run(ours.pid(), sandbox.pid(), FLOOR_USERS, FLOOR_S, oursLogin);
        log("/login pot-login: " + oursFloor.summary());
        run(bareProcess.pid(), sandbox.pid(), FLOOR_USERS, 3, bareLogin);
        Result bareFloor = run(bareProcess.pid(), sandbox.pid(), FLOOR_USERS, FLOOR_S, bareLogin);
        log("/login bare 302: " + bareFloor.summary());
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        Map<String, Double> jmh = readJmh(System.getProperty("bench.jmhCsv"));
        Report report = new Report();
        report.header();
        for (int users : levels) {
            Result o = signIns.get("pot-login").get(users);
            Result p = signIns.get("peer").get(users);
            report.row("sign-ins/s, " + users(users), o.perSecond(), p.perSecond(), "≥ 1.0× peer",
                    o.perSecond() >= p.perSecond());
        }
        for (int users : levels) {
            Result o = signIns.get("pot-login").get(users);
            Result p = signIns.get("peer").get(users);
            report.row("app CPU ms / sign-in, " + users(users), o.appCpuMsPerOp(), p.appCpuMsPerOp(),
                    "≤ 0.5× peer", o.appCpuMsPerOp() <= 0.5 * p.appCpuMsPerOp());
        }
        for (int users : levels) {
            Result o = signIns.get("pot-login").get(users);
            Result p = signIns.get("peer").get(users);
            report.row("sandbox CPU ms / sign-in, " + users(users), o.sandboxCpuMsPerOp(), p.sandboxCpuMsPerOp(),
                    "", null);
        }
        for (int users : levels) {
            Result o = signIns.get("pot-login").get(users);
            Result p = signIns.get("peer").get(users);
            report.row("p50 ms / sign-in, " + users(users), o.percentileMs(50), p.percentileMs(50), "", null);
            report.row("p99 ms / sign-in, " + users(users), o.percentileMs(99), p.percentileMs(99), "", null);
        }
        for (int users : levels) {
            Result o = signIns.get("pot-login").get(users);
            Result p = signIns.get("peer").get(users);
            report.rowText("errors, " + users(users) + " (of " + o.ok.get() + " / " + p.ok.get() + " sign-ins)",
                    String.valueOf(o.errors.get()), String.valueOf(p.errors.get()), "", "0", o.errors.get() == 0);
        }
        report.rowVs("`/login` req/s, " + FLOOR_USERS + " users (vs **bare 302** floor)", oursFloor.perSecond(),
                bareFloor.perSecond(), "≥ 0.8× floor", oursFloor.perSecond() >= 0.8 * bareFloor.perSecond());
        report.rowVs("`/login` app CPU µs / request (vs **bare 302** floor)", oursFloor.appCpuMsPerOp() * 1000,
                bareFloor.appCpuMsPerOp() * 1000, "", null);
        report.row("start to first response, ms (demo flags)", oursDemo.startMs(), peerDemo.startMs(), "≤ 1000 ms",
                oursDemo.startMs() <= 1000);
        report.row("RSS idle, MiB (demo flags)", oursDemo.idleRssMiB(), peerDemo.idleRssMiB(), "≤ 110 MiB",
                oursDemo.idleRssMiB() <= 110);
        report.row("start to first response, ms (server flags)", oursServer.startMs(), peerServer.startMs(), "",
                null);
        report.row("RSS idle, MiB (server flags)", oursServer.idleRssMiB(), peerServer.idleRssMiB(), "", null);
        report.row("RSS under load (max, " + levels.get(levels.size() - 1) + " users), MiB (server flags)",
                loadRss.get("pot-login"), loadRss.get("peer"), "≤ 128 MiB", loadRss.get("pot-login") <= 128);
        jmhRow(report, jmh, "stateIssue", "JMH state issue, µs", null);
        jmhRow(report, jmh, "stateVerifyValid", "JMH state verify (valid), µs", null);
        jmhRow(report, jmh, "stateVerifyTampered", "JMH state verify (tampered), µs", null);
        jmhRow(report, jmh, "stateIssueAndVerify", "JMH state issue + verify, µs", 3.0);
        jmhRow(report, jmh, "completeLogin", "JMH `CompleteLogin` (no-op ports), µs", null);

        String machine = machine(loadBefore, loadAfter);
        double load1 = Double.parseDouble(loadBefore.split(" ")[0]);
        if (load1 > 1.0) {
            machine += String.format(Locale.ROOT, "%n%n**The machine was not idle when the benchmark started** "
                    + "(1-min load average %.2f on %d CPUs: other work on this shared machine, or the tail of it); "
                    + "absolute figures may be lower and noisier than on an idle machine, the ratios less so.", load1,
                    Runtime.getRuntime().availableProcessors());
        }
        String table = report.text();
        System.out.println();
        System.out.println(table);
        System.out.println(machine);
        Files.writeString(results, resultsMarkdown(table, machine, levels));
        log("written " + results);
        stopAll();
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The load: virtual users, each with its own client and cookie jar, for a fixed time.

    record Target(String name, long appPid, long sandboxPid, Scenario scenario) {
    }

    /** One unit of work (a whole sign-in, or one request) done by one virtual user with its own browser. */
    interface Scenario {
        void once(Browser browser) throws Exception;

        static Scenario loginOnly(String loginUri) {
            URI uri = URI.create(loginUri);
            return browser -> {
                HttpResponse<String> r = browser.get(uri);
                expect(r, 303);
            };
        }
    }

    static final class SignIn {
        private SignIn() {
        }

        /** pot-login: /login → sandbox authorize (form) → sandbox sign-in → /login/complete → landing → /me. */
        static Scenario ours(String app) {
            URI login = URI.create(app + "/login");
            URI me = URI.create(app + "/me");
            return browser -> {
                URI authorize = location(expect(browser.get(login), 303));
                URI callback = atPortal(browser, authorize);
                HttpResponse<String> landing = expect(browser.get(callback), 200);
                if (!landing.body().contains("http-equiv=\"refresh\"")
                        || browser.cookie(callback, "__Host-pot-session") == null) {
                    throw new IllegalStateException("no landing page or no session cookie");
                }
                expect(browser.get(callback.resolve("/")), 200);
                HttpResponse<String> who = expect(browser.get(me), 200);
                if (!who.body().contains("\"id\":\"demo\"") || !who.body().contains("\"name\":\"Demo User\"")) {
                    throw new IllegalStateException("/me does not name demo: " + who.body());
                }
            };
        }

        /** The peer: /oauth/login/sandbox → sandbox authorize (form) → sign-in → /oauth/callback/sandbox → / → /me. */
        static Scenario peer(String peer) {
            URI login = URI.create(peer + "/oauth/login/sandbox");
            URI me = URI.create(peer + "/me");
            return browser -> {
                URI authorize = location(expect(browser.get(login), 302, 303));
                URI callback = atPortal(browser, authorize);
                HttpResponse<String> signedIn = expect(browser.get(callback), 302, 303);
                URI landing = location(signedIn);
                if (!"/".equals(landing.getPath()) || browser.cookie(callback, "JWT") == null) {
                    throw new IllegalStateException("not signed in: " + landing);
                }
                expect(browser.get(landing), 200);
                HttpResponse<String> who = expect(browser.get(me), 200);
                if (!who.body().contains("\"id\":\"demo\"") || !who.body().contains("\"name\":\"Demo User\"")) {
                    throw new IllegalStateException("/me does not name demo: " + who.body());
                }
            };
        }

        /** The sandbox's form (GET authorize), then its sign-in (POST, the form's fields are the authorize query). */
        static URI atPortal(Browser browser, URI authorize) throws Exception {
            HttpResponse<String> form = expect(browser.get(authorize), 200);
            if (!form.body().contains("<form")) {
                throw new IllegalStateException("no login form at " + authorize.getPath());
            }
            String body = authorize.getRawQuery() + "&username=demo&password=demo&action=sign-in";
            return location(expect(browser.postForm(authorize.resolve("/login"), body), 302));
        }
    }

    /** One browser: its own HTTP/1.1 client (own connections), its own cookie jar per host, no redirects followed. */
    static final class Browser {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        private final Map<String, Map<String, String>> jar = new LinkedHashMap<>();

        HttpResponse<String> get(URI uri) throws Exception {
            return send(HttpRequest.newBuilder(uri).GET(), uri);
        }

        HttpResponse<String> postForm(URI uri, String body) throws Exception {
            return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)), uri);
        }

        String cookie(URI site, String name) {
            return jar.getOrDefault(site.getHost(), Map.of()).get(name);
        }

        private HttpResponse<String> send(HttpRequest.Builder request, URI uri) throws Exception {
            request.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                    .timeout(Duration.ofSeconds(30));
            Map<String, String> cookies = jar.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>());
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
                String lower = setCookie.toLowerCase(Locale.ROOT);
                if (lower.contains("max-age=0") || nameValue.length < 2 || nameValue[1].isEmpty()) {
                    cookies.remove(nameValue[0]);
                } else {
                    cookies.put(nameValue[0], nameValue[1]);
                }
            }
            return response;
        }
    }

    static HttpResponse<String> expect(HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new IllegalStateException(response.statusCode() + " from " + response.uri().getPath());
    }

    static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("no Location from " + response.uri().getPath())));
    }

    static final class Result {
        final int users;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final ConcurrentLinkedQueue<Long> latenciesNanos = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> errorSamples = new ConcurrentLinkedQueue<>();
        double seconds;
        long appTicks;
        long sandboxTicks;
        double maxRssMiB;
        private List<Long> sorted;

        Result(int users) {
            this.users = users;
        }

        double perSecond() {
            return ok.get() / seconds;
        }

        double appCpuMsPerOp() {
            return ok.get() == 0 ? Double.NaN : appTicks * 1000.0 / CLK_TCK / ok.get();
        }

        double sandboxCpuMsPerOp() {
            return ok.get() == 0 ? Double.NaN : sandboxTicks * 1000.0 / CLK_TCK / ok.get();
        }

        double percentileMs(int p) {
            if (sorted == null) {
                sorted = new ArrayList<>(latenciesNanos);
                Collections.sort(sorted);
            }
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
        }

        String summary() {
            return String.format(Locale.ROOT,
                    "%d users: %d ok (%.1f/s), %d errors, p50 %.1f ms, p99 %.1f ms, app CPU %.2f ms/op, "
                            + "sandbox CPU %.2f ms/op, max RSS %.1f MiB%s",
                    users, ok.get(), perSecond(), errors.get(), percentileMs(50), percentileMs(99), appCpuMsPerOp(),
                    sandboxCpuMsPerOp(), maxRssMiB,
                    errorSamples.isEmpty() ? "" : "; first errors: " + List.copyOf(errorSamples));
        }
    }

    /** {@code users} virtual users repeat the scenario until {@code seconds} have passed; in-flight work completes. */
    static Result run(long appPid, long sandboxPid, int users, int seconds, Scenario scenario) throws Exception {
        Result result = new Result(users);
        long appBefore = cpuTicks(appPid);
        long sandboxBefore = cpuTicks(sandboxPid);
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            Thread vu = new Thread(() -> {
                Browser browser = new Browser();
                while (System.nanoTime() < deadline) {
                    long t = System.nanoTime();
                    try {
                        scenario.once(browser);
                        result.latenciesNanos.add(System.nanoTime() - t);
                        result.ok.incrementAndGet();
                    } catch (Exception e) {
                        result.errors.incrementAndGet();
                        if (result.errorSamples.size() < 3) {
                            result.errorSamples.add(String.valueOf(e));
                        }
                        browser = new Browser(); // a fresh browser after a failure
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
            }, "vu-" + i);
            threads.add(vu);
            vu.start();
        }
        double maxRss = 0;
        while (threads.stream().anyMatch(Thread::isAlive)) {
            maxRss = Math.max(maxRss, rssMiB(appPid));
            // Bounded: no virtual user outlives the deadline by more than its request timeouts.
            if (System.nanoTime() > deadline + Duration.ofSeconds(200).toNanos()) {
                throw new IllegalStateException("virtual users did not stop");
            }
            Thread.sleep(200);
        }
        result.seconds = (System.nanoTime() - start) / 1e9;
        result.appTicks = cpuTicks(appPid) - appBefore;
        result.sandboxTicks = cpuTicks(sandboxPid) - sandboxBefore;
        result.maxRssMiB = Math.max(maxRss, rssMiB(appPid));
        return result;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Processes and /proc.

    static Process start(String name, Map<String, String> env, List<String> javaArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // BENCH_PROFILE=1: a JFR recording per server (bench/target/logs/<name>.jfr), to tune from a profile, not a guess.
        if ("1".equals(System.getenv("BENCH_PROFILE"))) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + logs.resolve(name + ".jfr").toAbsolutePath());
        }
        command.addAll(javaArgs);
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

    static List<String> flags(String environmentVariable, String defaults) {
        String flags = Optional.ofNullable(System.getenv(environmentVariable)).filter(f -> !f.isBlank())
                .orElse(defaults);
        return List.of(flags.trim().split("\\s+"));
    }

    /** An app as the driver starts it: its process environment, its arguments after the JVM flags, its first URL. */
    record App(String name, Map<String, String> env, List<String> args, URI ready, int readyStatus) {
    }

    record Launched(String name, Process process, double startMs, double idleRssMiB) {
        void stop() throws InterruptedException {
            LoadDriver.stop(process);
        }
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
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
            if (!trainee.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || !Files.isRegularFile(archive)) {
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
        double idleRss = rssMiB(process.pid());
        log(String.format(Locale.ROOT, "%s up (pid %d, %s flags%s): first response after %.0f ms (median of %s), "
                        + "idle RSS %.1f MiB", app.name(), process.pid(), setup, CDS ? " + CDS" : "", startMs, startsMs,
                idleRss));
        return new Launched(name, process, startMs, idleRss);
    }

    static void stopAll() {
        synchronized (STARTED) {
            for (Process process : STARTED) {
                process.destroy();
            }
            for (Process process : STARTED) {
                try {
                    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
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

    /** utime + stime, fields 14 and 15 of /proc/PID/stat, in clock ticks. */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    static double rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException gone) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-D" + name + " is required");
        }
        return value;
    }

    static void log(String line) {
        System.out.println("[bench " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + "] " + line);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The report.

    static Map<String, Double> readJmh(String csv) throws IOException {
        Map<String, Double> scores = new LinkedHashMap<>();
        if (csv == null || !new File(csv).isFile()) {
            return scores;
        }
        for (String line : Files.readAllLines(Path.of(csv))) {
            String[] cells = line.split(",");
            if (cells.length < 7 || cells[0].contains("Benchmark\"") && cells[0].startsWith("\"Benchmark")) {
                continue;
            }
            String name = cells[0].replace("\"", "");
            try {
                scores.put(name.substring(name.lastIndexOf('.') + 1), Double.parseDouble(cells[4]));
            } catch (NumberFormatException header) {
                // the header line
            }
        }
        return scores;
    }

    static void jmhRow(Report report, Map<String, Double> jmh, String benchmark, String label, Double target) {
        Double score = jmh.get(benchmark);
        if (score == null) {
            report.rowText(label, "not run", "—", "", target == null ? "" : "≤ " + fmt(target) + " µs", null);
        } else {
            report.rowText(label, fmt(score), "—", "", target == null ? "" : "≤ " + fmt(target) + " µs",
                    target == null ? null : score <= target);
        }
    }

    static final class Report {
        private final StringBuilder text = new StringBuilder();

        void header() {
            text.append("| measure | pot-login | peer (micronaut-security-oauth2) | ratio pot-login / peer | target | met |\n");
            text.append("|---|---:|---:|---:|---|---|\n");
        }

        void row(String measure, double ours, double peer, String target, Boolean met) {
            rowText(measure, fmt(ours), fmt(peer), fmt(ours / peer), target, met);
        }

        void rowVs(String measure, double ours, double floor, String target, Boolean met) {
            rowText(measure, fmt(ours), fmt(floor) + " (bare 302)", fmt(ours / floor), target, met);
        }

        void rowText(String measure, String ours, String peer, String ratio, String target, Boolean met) {
            text.append("| ").append(measure).append(" | ").append(ours).append(" | ").append(peer).append(" | ")
                    .append(ratio).append(" | ").append(target).append(" | ")
                    .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
        }

        String text() {
            return text.toString();
        }
    }

    static String users(int users) {
        return users + (users == 1 ? " user" : " users");
    }

    static String fmt(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String machine(String loadBefore, String loadAfter) throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        return String.format(Locale.ROOT,
                "Machine: %d CPUs (%s), %.1f GiB RAM; JDK: %s %s (%s); date: %s; "
                        + "load average (1, 5, 15 min) before the benchmark: %s, at its end: %s",
                Runtime.getRuntime().availableProcessors(), model, memKb / 1024.0 / 1024.0,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"),
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                String.join(" ", java.util.Arrays.asList(loadBefore.split(" ")).subList(0, 3)),
                String.join(" ", java.util.Arrays.asList(loadAfter.split(" ")).subList(0, 3)));
    }

    static String jvmFlagsText() {
        return "Server flags (every app under load, and the bare 302): `" + String.join(" ", SERVER_FLAGS)
                + "`. Demo flags (`run-demo`'s; start and idle RSS only, each app started alone and stopped): `"
                + String.join(" ", DEMO_FLAGS) + "`. " + (CDS ? "Each app, with each set of flags, also gets a "
                + "class-data-sharing archive written by a training start of that same app (start, first response, "
                + "exit), as `run-demo` writes one on its first run." : "No class-data sharing (BENCH_CDS=0).");
    }

    static String resultsMarkdown(String table, String machine, List<Integer> levels) {
        return """
                # pot-login benchmarks

                Written by `bench/run` (see the README); figures are measured, never asserted in tests.

                %s

                %s
                ## How it was measured

                * Separate processes, all on 127.0.0.1/localhost: the sandbox portal (`BenchSandbox`, `-Xmx256m`), \
                pot-login (`app-*-all.jar`, `MICRONAUT_ENVIRONMENTS=sandbox`, pointed at that sandbox with \
                `POT_LOGIN_SANDBOX_START=false`), the peer (`PeerApp`: micronaut-security-oauth2's own \
                authorization-code login, cookie mode, against the same sandbox) and a bare Micronaut `GET /login` → \
                303 (`BareApp`, security off). %s \
                The sandbox runs with `-Xmx256m -XX:+UseSerialGC`.
                * A sign-in is every hop a browser makes, one at a time, each virtual user with its own HTTP/1.1 \
                client and cookie jar: pot-login `/login` → sandbox authorize (form) → sandbox sign-in (POST) → \
                `/login/complete` (landing page, session cookie) → `/` → `/me`; the peer `/oauth/login/sandbox` → \
                the same two sandbox hops → `/oauth/callback/sandbox` (303, its JWT cookie) → `/` → `/me`. \
                Each hop's status, the session cookie and `/me` naming `demo` (`Demo User`) are checked; anything else is an error.
                * Per target: %d rounds of %d s warm-up at %d users, the targets taking turns (both warmed up \
                before any level), then %d s at each of %s users, the two targets taking turns level by level \
                and the first of the two alternating from level to level. CPU per sign-in is the \
                process's utime + stime (/proc/PID/stat) over the level divided by completed sign-ins; sign-ins in \
                flight at the deadline complete and count.
                * Both do the same portal work per sign-in: the token exchange, RS256 verification of the token \
                with the sandbox's JWKS, and one user lookup (`/api/me`): pot-login on `/me`, the peer in its \
                `OauthAuthenticationMapper` at sign-in (the usual place; its `/me` then names the user from its own \
                JWT session cookie). pot-login logs one line (INFO) per login started and completed; the peer \
                and the bare app log at INFO too (nothing per request).
                * `/login` vs the bare 302: %d users, %d s each after 3 s warm-up, same driver.
                * Start to first response: from process start to the first 303 of `/login` (peer: its \
                `/oauth/login/sandbox`), sandbox already running, once with the demo flags (that process is then \
                stopped; the median of 3 starts) and once with the server flags (that process takes the load). RSS idle: VmRSS 5 s after \
                the first response; under load: the highest VmRSS sampled (every 200 ms) during the last level.
                * JMH (`StateBenchmark`): average time, 1 fork, 2 × 2 s warm-up, 3 × 2 s measurement; \
                `completeLogin` is `LoginFlow.complete` with ports that answer at once (a fresh login started per \
                invocation, outside the measurement).
                * The load driver runs on the same machine as the servers and takes CPU from them; with 2 CPUs the \
                throughput figures are bounded by the machine, and the ratios are the meaningful part.
                """.formatted(table, machine + "\n", jvmFlagsText(), WARMUP_ROUNDS, WARMUP_S, FLOOR_USERS, LEVEL_S,
                levels, FLOOR_USERS, FLOOR_S);
    }
}
