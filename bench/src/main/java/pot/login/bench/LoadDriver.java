package pot.login.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import pot.login.bench.Processes.App;
import pot.login.bench.Processes.Launched;

/**
 * Starts the sandbox portal, pot-login (its fat jar), the peer (micronaut-security-oauth2's own login), the Spring
 * peer (Spring Security's {@code oauth2Login()}, bench/spring-peer), the bare 302 app and (unless BENCH_REDIS=0) a
 * redis-server with a second pot-login on the Redis store, each as its own process, every app trained the same way
 * (class data or AOT cache, {@link Processes#train}); times their starts, the apps taking turns; then, in rounds,
 * signs in through every target at 1, 16 and 64 virtual users (one cookie jar and one HTTP client each, every hop
 * explicit), the targets taking turns, measuring each process's CPU from /proc/PID/stat and RSS from
 * /proc/PID/status; then what the sign-ins left in Redis and its memory after 1 000 000 used-state marks
 * ({@link RedisMemory}); then {@code /login} against the bare 302, in rounds too. Writes RESULTS.md: each figure
 * the median over the rounds with its spread, the targets as ratios to the best peer. Nothing is asserted.
 *
 * <p>System properties: bench.appJar, bench.springJar, bench.classpath, bench.results, bench.previousResults (the
 * committed RESULTS.md), bench.jmhCsv, bench.logs, bench.clkTck, bench.loadAtStart, bench.warmupSeconds (30),
 * bench.warmupRounds (2), bench.rounds (3), bench.starts (3), bench.levelSeconds (15), bench.floorSeconds (10),
 * bench.levels (1,16,64), bench.redisMarks (1000000), bench.trainSignIns (300).
 *
 * <p>The parts: {@link Processes} (the servers), {@link VirtualUsers} with {@link LoadBrowser} and {@link Scenario}
 * (the load), {@link ProcFs} (CPU and RSS), {@link LevelResult} (one run's figures), {@link Report} (RESULTS.md).
 */
public final class LoadDriver {

    /**
     * The JVM flags of every app under load, as we advise for a server: a capped heap that starts small (RSS follows
     * the heap that is touched), the serial collector (one or two cores), small thread stacks, and both JIT compilers,
     * since a server runs long enough for C2 to pay off (bench/README.md has the measurement).
     * BENCH_SERVER_FLAGS replaces them for an experiment.
     */
    static final List<String> SERVER_FLAGS = flags("BENCH_SERVER_FLAGS",
            "-Xmx128m -Xms32m -XX:+UseSerialGC -Xss256k");
    /** run-demo's flags (keep the two in step): C1 only, a small code cache: a quick start and a small footprint. */
    static final List<String> DEMO_FLAGS = flags("BENCH_DEMO_FLAGS",
            "-Xmx128m -Xms16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=32m");
    /** The peer and the bare app log as pot-login does (INFO), not at logback's DEBUG default. */
    static final String LOGBACK = "-Dlogback.configurationFile=bench-logback.xml";
    static final int WARMUP_S = Integer.getInteger("bench.warmupSeconds", 30);
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 2);
    static final int LEVEL_S = Integer.getInteger("bench.levelSeconds", 15);
    static final int FLOOR_S = Integer.getInteger("bench.floorSeconds", 10);
    static final int FLOOR_USERS = 16;
    /** Rounds of the levels and of the floor (bench.rounds): each figure is the median over them, with its spread. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** Timed starts per app and set of flags (bench.starts), the apps taking turns. */
    static final int STARTS = Integer.getInteger("bench.starts", 3);
    /** BENCH_REDIS=0: no Redis variant (no redis-server, no pot-login on the Redis store). */
    static final boolean REDIS = !"0".equals(System.getenv("BENCH_REDIS"));
    static final long REDIS_MARKS = Long.getLong("bench.redisMarks", 1_000_000);
    /** The heap soak ({@link HeapSoak}) after everything else; BENCH_SOAK_SIGN_INS=0 skips it. */
    static final long SOAK_SIGN_INS = Long.getLong("bench.soakSignIns", 1_000_000);
    static final int SOAK_USERS = Integer.getInteger("bench.soakUsers", 24);
    static final int SOAK_SAMPLES = Integer.getInteger("bench.soakSamples", 20);
    static final String OURS = "pot-login";
    static final String OURS_REDIS = "pot-login (redis)";
    static final String PEER = "peer";
    static final String SPRING = "spring";
    static final String BARE = "bare 302";

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        String appJar = required("bench.appJar");
        String classpath = required("bench.classpath");
        Path results = Path.of(required("bench.results"));
        Processes.logs = Path.of(System.getProperty("bench.logs", "bench/target/logs"));
        Files.createDirectories(Processes.logs);
        List<Integer> levels = Arrays.stream(System.getProperty("bench.levels", "1,16,64").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "bench-stop"));
        // The load before the command did anything (bench/run passes it), else now.
        List<Report.Load> loads = new ArrayList<>(List.of(Report.Load.of("before the benchmark",
                System.getProperty("bench.loadAtStart", Files.readString(Path.of("/proc/loadavg"))))));
        // The committed RESULTS.md, read before this run overwrites it (bench/run passes a copy of it).
        Report.Previous previous = Report.Previous.read(System.getProperty("bench.previousResults"));

        int portalPort = Processes.freePort();
        int appPort = Processes.freePort();
        int peerPort = Processes.freePort();
        int barePort = Processes.freePort();
        int redisAppPort = Processes.freePort();
        int springPort = Processes.freePort();
        String portal = "http://127.0.0.1:" + portalPort;
        String app = "http://localhost:" + appPort;
        String peer = "http://localhost:" + peerPort;
        String bare = "http://localhost:" + barePort;
        String redisApp = "http://localhost:" + redisAppPort;
        String spring = "http://localhost:" + springPort;

        // 1. The sandbox portal, alone in its process, with pot-login's and the peer's registrations.
        Process sandbox = Processes.start("sandbox", Map.of(), List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp",
                classpath, BenchSandbox.class.getName(), String.valueOf(portalPort), app + "/login/complete",
                peer + "/oauth/callback/sandbox", spring + "/login/oauth2/code/sandbox", redisApp + "/login/complete"));
        Processes.awaitStatus(URI.create(portal + "/keys/jwks.json"), 200, sandbox);
        log("sandbox up at " + portal + " (pid " + sandbox.pid() + ")");

        // 2. pot-login, its fat jar, pointed at the sandbox as at a remote portal.
        Map<String, String> appEnv = potLoginEnv(portal, app, appPort);
        App oursApp = new App(OURS, appEnv, List.of("-jar", appJar), URI.create(app + "/login"), 303,
                Scenario.ours(app));
        // 2b. The same jar on the Redis store, against the bench's own redis-server.
        BenchRedis redis = REDIS ? BenchRedis.start(Path.of("bench/target/redis")) : null;
        App oursRedisApp = null;
        if (redis != null) {
            log("redis-server up at " + redis.uri() + " (pid " + redis.pid() + ")");
            Map<String, String> redisEnv = new LinkedHashMap<>(appEnv);
            redisEnv.put("POT_LOGIN_REDIRECT_URI", redisApp + "/login/complete");
            redisEnv.put("MICRONAUT_SERVER_PORT", String.valueOf(redisAppPort));
            redisEnv.put("POT_LOGIN_STORE", "redis");
            redisEnv.put("POT_LOGIN_REDIS_URI", redis.uri());
            oursRedisApp = new App("pot-login-redis", redisEnv, List.of("-jar", appJar),
                    URI.create(redisApp + "/login"), 303, Scenario.ours(redisApp));
        }
        // 3. The peer: micronaut-security-oauth2's own authorization-code login, same JVM flags.
        App peerApp = new App(PEER, Map.of(), List.of(LOGBACK, "-cp", classpath, PeerApp.class.getName(),
                String.valueOf(peerPort), portal), URI.create(peer + "/oauth/login/sandbox"), -1, Scenario.peer(peer));
        // 3b. The Spring peer: Spring Security's oauth2Login(), its jar as Spring's tools jarmode extracts it (a plain
        // class path, so class-data sharing archives its classes as it does pot-login's), same JVM flags.
        App springApp = new App(SPRING, Map.of(), List.of("-jar", required("bench.springJar"),
                "--server.port=" + springPort, "--bench.sandbox=" + portal),
                URI.create(spring + "/oauth2/authorization/sandbox"), 302, Scenario.spring(spring));
        // 4. The framework floor.
        App bareApp = new App("bare-302", Map.of(), List.of(LOGBACK, "-cp", classpath, BareApp.class.getName(),
                String.valueOf(barePort)), URI.create(bare + "/login"), 303, Scenario.loginOnly(bare + "/login"));

        // Start and footprint as the demo runs (run-demo's flags): the apps take turns, each start stopped again.
        List<App> compared = List.of(oursApp, peerApp, springApp);
        Map<String, List<Launched>> demoStarts = timedStarts(compared, "demo", DEMO_FLAGS, false);
        // Then the server flags, for everything under load: the last start of each stays up.
        Map<String, List<Launched>> serverStarts = timedStarts(compared, "server", SERVER_FLAGS, true);
        Launched oursRedisServer = oursRedisApp == null ? null
                : Processes.startTimed(Processes.train(oursRedisApp, "server", SERVER_FLAGS));
        Process bareProcess = Processes.startTimed(Processes.train(bareApp, "server", SERVER_FLAGS)).process();

        List<Target> targets = new ArrayList<>(List.of(
                new Target(OURS, running(serverStarts, OURS), sandbox.pid(), 0, Scenario.ours(app)),
                new Target(PEER, running(serverStarts, PEER), sandbox.pid(), 0, Scenario.peer(peer)),
                new Target(SPRING, running(serverStarts, SPRING), sandbox.pid(), 0, Scenario.spring(spring))));
        if (oursRedisServer != null) {
            targets.add(new Target(OURS_REDIS, oursRedisServer.process().pid(), sandbox.pid(), redis.pid(),
                    Scenario.ours(redisApp)));
        }
        Map<String, Long> signInsTotal = new LinkedHashMap<>();
        BenchRedis.Sample beforeSignIns = redis == null ? null : redis.sample("before the sign-ins");
        Map<String, Map<Integer, List<LevelResult>>> signIns = signIns(targets, levels, loads, signInsTotal);

        // After the levels, before anything else: what the sign-ins left in Redis, then the marks and their expiry.
        RedisMemory.Figures redisMemory = null;
        if (redis != null) {
            BenchRedis.Sample afterSignIns = redis.sample("after the sign-ins");
            log("redis: " + signInsTotal.get(OURS_REDIS) + " sign-ins through Redis (warm-up included): "
                    + beforeSignIns + " -> " + afterSignIns);
            redisMemory = RedisMemory.measure(redis, beforeSignIns, afterSignIns, signInsTotal.get(OURS_REDIS),
                    REDIS_MARKS);
        }

        // 5. /login alone: pot-login's against the bare 302, same tool, same concurrency, in rounds taking turns.
        Map<String, List<LevelResult>> floor = loginFloor(List.of(
                new Target(OURS, running(serverStarts, OURS), sandbox.pid(), 0, Scenario.loginOnly(app + "/login")),
                new Target(BARE, bareProcess.pid(), sandbox.pid(), 0, Scenario.loginOnly(bare + "/login"))));
        // 6. The heap over many sign-ins through the HTTP stack, on the pot-login that took the load (last: it is long).
        HeapSoak.Figures soak = null;
        if (SOAK_SIGN_INS > 0) {
            log("heap soak: " + SOAK_SIGN_INS + " sign-ins, " + SOAK_USERS + " users");
            soak = HeapSoak.run(running(serverStarts, OURS), sandbox.pid(), app, SOAK_SIGN_INS, SOAK_USERS,
                    SOAK_SAMPLES, HeapSoak.defaultWarmUp(SOAK_SIGN_INS));
        }
        loads.add(Report.Load.now("at its end"));

        String date = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        List<Report.TargetRow> extraTargets = soak == null ? List.of() : List.of(heapRow(soak));
        String tables = Report.tables(new Report.Figures(levels, signIns, floor, demoStarts, serverStarts,
                Report.readJmh(System.getProperty("bench.jmhCsv")), redisMemory, extraTargets, previous, loads, date));
        String machine = Report.machine(loads, date);
        System.out.println();
        System.out.println(tables);
        System.out.println(machine);
        if (soak != null) {
            tables += "\n" + soak.markdown();
        }
        Files.writeString(results, Report.resultsMarkdown(tables, machine, levels));
        log("written " + results);
        if (redis != null) {
            redis.close();
        }
        Processes.stopAll();
        System.exit(0);
    }

    /**
     * {@link #STARTS} timed starts of each app with {@code flags}, the apps taking turns (ours, peer, spring, ours,
     * …), so that none always starts on a machine still busy with another's exit; each app trained first. Each start
     * is stopped after its idle RSS, except, when {@code keepLast}, the last of each, which takes the load.
     */
    static Map<String, List<Launched>> timedStarts(List<App> apps, String setup, List<String> flags, boolean keepLast)
            throws Exception {
        List<Processes.Trained> trained = new ArrayList<>();
        for (App app : apps) {
            trained.add(Processes.train(app, setup, flags));
        }
        Map<String, List<Launched>> starts = new LinkedHashMap<>();
        for (int i = 1; i <= STARTS; i++) {
            for (Processes.Trained t : trained) {
                Launched launched = Processes.startTimed(t);
                starts.computeIfAbsent(t.app().name(), name -> new ArrayList<>()).add(launched);
                if (i < STARTS || !keepLast) {
                    launched.stop();
                }
            }
        }
        return starts;
    }

    /** The pid of the app's last start, the one that stayed up. */
    static long running(Map<String, List<Launched>> starts, String app) {
        return starts.get(app).getLast().process().pid();
    }

    /** A target of the sign-in load: its process, the sandbox's, and the sign-in its virtual users repeat. */
    record Target(String name, long appPid, long sandboxPid, long redisPid, Scenario scenario) {
    }

    /**
     * The environment of a pot-login (its fat jar) pointed at the bench's sandbox as at a remote portal, serving
     * {@code app} on {@code port}. A new map: callers add their own settings.
     */
    static Map<String, String> potLoginEnv(String portal, String app, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MICRONAUT_ENVIRONMENTS", "sandbox");
        env.put("POT_LOGIN_SANDBOX_START", "false");
        env.put("POT_LOGIN_API_ROOT", portal);
        env.put("POT_LOGIN_REDIRECT_URI", app + "/login/complete");
        env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
        return env;
    }

    /** The soak's target row: the fitted growth against the tolerance that still counts as flat. */
    static Report.TargetRow heapRow(HeapSoak.Figures soak) {
        return new Report.TargetRow("heap-soak", String.format(Locale.ROOT,
                "heap after full GC over %,d sign-ins through HTTP: growth from the 20 %% sample on, MiB",
                soak.last().signIns()), String.format(Locale.ROOT, "%+.1f (%+.2f / 100 000)", soak.growthMiB(),
                soak.growthMiBPer100k()), "tolerance: " + HeapSoak.FLAT_TOLERANCE_MIB + " MiB",
                soak.growthMiB() / HeapSoak.FLAT_TOLERANCE_MIB, "flat: ≤ 1.0× tolerance, 0 errors",
                soak.flat() && soak.errors() == 0 ? Report.Verdict.MET : Report.Verdict.NOT_MET);
    }

    /**
     * Sign-ins per target, level and round. All are warmed up first (the sandbox too); then {@link #ROUNDS} rounds,
     * each running every level for every target in the order of {@link #order}. Adds the load average before each
     * round to {@code loads}, and each target's sign-ins, warm-up included, to {@code total}.
     */
    static Map<String, Map<Integer, List<LevelResult>>> signIns(List<Target> targets, List<Integer> levels,
            List<Report.Load> loads, Map<String, Long> total) throws Exception {
        Map<String, Map<Integer, List<LevelResult>>> signIns = new LinkedHashMap<>();
        for (Target target : targets) {
            Map<Integer, List<LevelResult>> byLevel = new LinkedHashMap<>();
            levels.forEach(users -> byLevel.put(users, new ArrayList<>()));
            signIns.put(target.name(), byLevel);
        }
        // Warm-up in rounds, taking turns: on 2 cores the C2 compiler of a Micronaut app is still busy after one round.
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            for (Target target : targets) {
                log("warm-up " + round + "/" + WARMUP_ROUNDS + " " + target.name() + ": " + FLOOR_USERS + " users, "
                        + WARMUP_S + " s");
                LevelResult warm = run(target, FLOOR_USERS, WARMUP_S);
                total.merge(target.name(), warm.ok.get(), Long::sum);
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            loads.add(Report.Load.now("before round " + (round + 1)));
            for (int level = 0; level < levels.size(); level++) {
                int users = levels.get(level);
                for (Target target : order(targets, round + level)) {
                    log("round " + (round + 1) + "/" + ROUNDS + " " + target.name() + ": " + users + " users, "
                            + LEVEL_S + " s");
                    LevelResult result = run(target, users, LEVEL_S);
                    total.merge(target.name(), result.ok.get(), Long::sum);
                    signIns.get(target.name()).get(users).add(result);
                }
            }
        }
        return signIns;
    }

    /**
     * The targets rotated {@code shift} places; the levels shift by round + level, a Latin square: at every level
     * each target goes first (and last) in a different round, and within a round in a different level. For two
     * targets, rotating is reversing: the order reverses from level to level and from round to round.
     */
    static <T> List<T> order(List<T> targets, int shift) {
        List<T> rotated = new ArrayList<>(targets);
        Collections.rotate(rotated, -shift);
        return rotated;
    }

    static LevelResult run(Target target, int users, int seconds) throws Exception {
        LevelResult result = VirtualUsers.run(target.appPid(), target.sandboxPid(), target.redisPid(), users,
                seconds, target.scenario());
        log("  " + result.summary());
        return result;
    }

    /** {@code GET /login} alone at {@link #FLOOR_USERS} users: a 3 s warm-up each, then rounds, taking turns. */
    static Map<String, List<LevelResult>> loginFloor(List<Target> apps) throws Exception {
        Map<String, List<LevelResult>> floor = new LinkedHashMap<>();
        for (Target app : apps) {
            run(app, FLOOR_USERS, 3);
            floor.put(app.name(), new ArrayList<>());
        }
        for (int round = 0; round < ROUNDS; round++) {
            for (Target app : order(apps, round)) {
                log("/login round " + (round + 1) + "/" + ROUNDS + " " + app.name() + ": " + FLOOR_USERS + " users, "
                        + FLOOR_S + " s");
                floor.get(app.name()).add(run(app, FLOOR_USERS, FLOOR_S));
            }
        }
        return floor;
    }

    static List<String> flags(String environmentVariable, String defaults) {
        String flags = Optional.ofNullable(System.getenv(environmentVariable)).filter(f -> !f.isBlank())
                .orElse(defaults);
        return List.of(flags.trim().split("\\s+"));
    }

    static String required(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("-D" + name + " is not set (bench/run sets it)");
        }
        return value;
    }

    static void log(String line) {
        System.out.println("[bench " + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss"))
                + "] " + line);
    }
}
