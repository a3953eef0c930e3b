package pot.login.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import pot.login.bench.Processes.App;
import pot.login.bench.Processes.Launched;

/**
 * Starts the sandbox portal, pot-login (its fat jar), the peer (micronaut-security-oauth2's own login), the Spring
 * peer (Spring Security's {@code oauth2Login()}, bench/spring-peer), the bare
 * 302 app and (unless BENCH_REDIS=0) a redis-server with a second pot-login on the Redis store, each as its own
 * process; signs in through pot-login (in memory, and on Redis) and through the peer for a fixed time at 1, 16 and 64
 * virtual users (one cookie jar and one HTTP client each, every hop explicit); measures each process's CPU from
 * /proc/PID/stat, RSS from /proc/PID/status, startup to first response; then {@code /login} against the bare 302.
 * Then what the sign-ins left in Redis, and its memory after 1 000 000 used-state marks ({@link RedisMemory}).
 * Prints the tables (with the JMH figures, when given) and writes them to RESULTS.md. Nothing is asserted.
 *
 * <p>System properties: bench.appJar, bench.springJar, bench.classpath, bench.results, bench.jmhCsv, bench.logs, bench.clkTck,
 * bench.warmupSeconds (30), bench.warmupRounds (2), bench.levelSeconds (15), bench.floorSeconds (10),
 * bench.levels (1,16,64), bench.redisMarks (1000000).
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
    /** BENCH_REDIS=0: no Redis variant (no redis-server, no pot-login on the Redis store). */
    static final boolean REDIS = !"0".equals(System.getenv("BENCH_REDIS"));
    static final long REDIS_MARKS = Long.getLong("bench.redisMarks", 1_000_000);
    static final String OURS = "pot-login";
    static final String OURS_REDIS = "pot-login (redis)";
    static final String PEER = "peer";
    static final String SPRING = "spring";

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
        String loadBefore = System.getProperty("bench.loadAtStart", Files.readString(Path.of("/proc/loadavg")).trim());

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
        Map<String, String> appEnv = new LinkedHashMap<>();
        appEnv.put("MICRONAUT_ENVIRONMENTS", "sandbox");
        appEnv.put("POT_LOGIN_SANDBOX_START", "false");
        appEnv.put("POT_LOGIN_API_ROOT", portal);
        appEnv.put("POT_LOGIN_REDIRECT_URI", app + "/login/complete");
        appEnv.put("MICRONAUT_SERVER_PORT", String.valueOf(appPort));
        App oursApp = new App("pot-login", appEnv, List.of("-jar", appJar), URI.create(app + "/login"), 303);
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
                    URI.create(redisApp + "/login"), 303);
        }
        // 3. The peer: micronaut-security-oauth2's own authorization-code login, same JVM flags.
        App peerApp = new App("peer", Map.of(), List.of(LOGBACK, "-cp", classpath, PeerApp.class.getName(),
                String.valueOf(peerPort), portal), URI.create(peer + "/oauth/login/sandbox"), -1);
        // 3b. The Spring peer: Spring Security's oauth2Login(), its jar as Spring's tools jarmode extracts it (a plain
        // class path, so class-data sharing archives its classes as it does pot-login's), same JVM flags.
        App springApp = new App("spring", Map.of(), List.of("-jar", required("bench.springJar"),
                "--server.port=" + springPort, "--bench.sandbox=" + portal),
                URI.create(spring + "/oauth2/authorization/sandbox"), 302);
        // 4. The framework floor.
        App bareApp = new App("bare-302", Map.of(), List.of(LOGBACK, "-cp", classpath, BareApp.class.getName(),
                String.valueOf(barePort)), URI.create(bare + "/login"), 303);

        // Start and footprint as the demo runs (run-demo's flags), each app alone, then stopped.
        Launched oursDemo = Processes.launch(oursApp, "demo", DEMO_FLAGS, 3);
        oursDemo.stop();
        Launched peerDemo = Processes.launch(peerApp, "demo", DEMO_FLAGS, 3);
        peerDemo.stop();
        Launched springDemo = Processes.launch(springApp, "demo", DEMO_FLAGS, 3);
        springDemo.stop();
        // Then the server flags, for everything under load.
        Launched oursServer = Processes.launch(oursApp, "server", SERVER_FLAGS, 1);
        Launched peerServer = Processes.launch(peerApp, "server", SERVER_FLAGS, 1);
        Launched springServer = Processes.launch(springApp, "server", SERVER_FLAGS, 1);
        Launched oursRedisServer = oursRedisApp == null ? null
                : Processes.launch(oursRedisApp, "server", SERVER_FLAGS, 1);
        Process bareProcess = Processes.launch(bareApp, "server", SERVER_FLAGS, 1).process();

        List<Target> targets = new ArrayList<>(List.of(
                new Target(OURS, oursServer.process().pid(), sandbox.pid(), 0, Scenario.ours(app)),
                new Target(PEER, peerServer.process().pid(), sandbox.pid(), 0, Scenario.peer(peer)),
                new Target(SPRING, springServer.process().pid(), sandbox.pid(), 0, Scenario.spring(spring))));
        if (oursRedisServer != null) {
            targets.add(new Target(OURS_REDIS, oursRedisServer.process().pid(), sandbox.pid(), redis.pid(),
                    Scenario.ours(redisApp)));
        }
        Map<String, Double> loadRss = new LinkedHashMap<>();
        Map<String, Long> signInsTotal = new LinkedHashMap<>();
        BenchRedis.Sample beforeSignIns = redis == null ? null : redis.sample("before the sign-ins");
        Map<String, Map<Integer, LevelResult>> signIns = signIns(targets, levels, loadRss, signInsTotal);

        // After the levels, before anything else: what the sign-ins left in Redis, then the marks and their expiry.
        RedisMemory.Figures redisMemory = null;
        if (redis != null) {
            BenchRedis.Sample afterSignIns = redis.sample("after the sign-ins");
            log("redis: " + signInsTotal.get(OURS_REDIS) + " sign-ins through Redis (warm-up included): "
                    + beforeSignIns + " -> " + afterSignIns);
            redisMemory = RedisMemory.measure(redis, beforeSignIns, afterSignIns, signInsTotal.get(OURS_REDIS),
                    REDIS_MARKS);
        }

        // 5. /login alone: pot-login's against the bare 302, same tool, same concurrency.
        LevelResult oursFloor = loginFloor("pot-login", oursServer.process().pid(), sandbox.pid(), app);
        LevelResult bareFloor = loginFloor("bare 302", bareProcess.pid(), sandbox.pid(), bare);
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();

        String table = Report.table(new Report.Figures(levels, signIns, loadRss, oursFloor, bareFloor, oursDemo,
                peerDemo, springDemo, oursServer, peerServer, springServer, Report.readJmh(System.getProperty("bench.jmhCsv")), redisMemory));
        String machine = Report.machine(loadBefore, loadAfter);
        double load1 = Double.parseDouble(loadBefore.split(" ")[0]);
        if (load1 > 1.0) {
            machine += String.format(Locale.ROOT, "%n%n**The machine was not idle when the benchmark started** "
                    + "(1-min load average %.2f on %d CPUs: other work on this shared machine, or the tail of it); "
                    + "absolute figures may be lower and noisier than on an idle machine, the ratios less so.", load1,
                    Runtime.getRuntime().availableProcessors());
        }
        System.out.println();
        System.out.println(table);
        System.out.println(machine);
        Files.writeString(results, Report.resultsMarkdown(table, machine, levels));
        log("written " + results);
        if (redis != null) {
            redis.close();
        }
        Processes.stopAll();
        System.exit(0);
    }

    /** A target of the sign-in load: its process, the sandbox's, and the sign-in its virtual users repeat. */
    record Target(String name, long appPid, long sandboxPid, long redisPid, Scenario scenario) {
    }

    /**
     * Sign-ins per target and level. All are warmed up first (the sandbox too), then each level for one target after
     * the other, so none is favoured by running later against a sandbox warmed up by the others. Fills {@code loadRss}
     * with each target's highest RSS during the last level, and {@code total} with its sign-ins, warm-up included.
     */
    static Map<String, Map<Integer, LevelResult>> signIns(List<Target> targets, List<Integer> levels,
            Map<String, Double> loadRss, Map<String, Long> total) throws Exception {
        Map<String, Map<Integer, LevelResult>> signIns = new LinkedHashMap<>();
        for (Target target : targets) {
            signIns.put(target.name(), new LinkedHashMap<>());
        }
        // Warm-up in rounds, taking turns: on 2 cores the C2 compiler of a Micronaut app is still busy after one round.
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            for (Target target : targets) {
                log("warm-up " + round + "/" + WARMUP_ROUNDS + " " + target.name() + ": " + FLOOR_USERS + " users, "
                        + WARMUP_S + " s");
                LevelResult warm = VirtualUsers.run(target.appPid(), target.sandboxPid(), target.redisPid(),
                        FLOOR_USERS, WARMUP_S, target.scenario());
                log("  " + warm.summary());
                total.merge(target.name(), warm.ok.get(), Long::sum);
            }
        }
        for (int level = 0; level < levels.size(); level++) {
            int users = levels.get(level);
            // Which target goes first alternates, so that neither always meets the other's leftovers (JIT, GC).
            List<Target> order = level % 2 == 0 ? targets : targets.reversed();
            for (Target target : order) {
                log(target.name() + ": " + users + " users, " + LEVEL_S + " s");
                LevelResult result = VirtualUsers.run(target.appPid(), target.sandboxPid(), target.redisPid(),
                        users, LEVEL_S, target.scenario());
                log("  " + result.summary());
                total.merge(target.name(), result.ok.get(), Long::sum);
                signIns.get(target.name()).put(users, result);
                loadRss.put(target.name(), result.maxRssMiB);
            }
        }
        return signIns;
    }

    /** {@code GET /login} alone at {@link #FLOOR_USERS} users, after a 3 s warm-up. */
    static LevelResult loginFloor(String name, long appPid, long sandboxPid, String base) throws Exception {
        Scenario login = Scenario.loginOnly(base + "/login");
        VirtualUsers.run(appPid, sandboxPid, FLOOR_USERS, 3, login);
        LevelResult floor = VirtualUsers.run(appPid, sandboxPid, FLOOR_USERS, FLOOR_S, login);
        log("/login " + name + ": " + floor.summary());
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
