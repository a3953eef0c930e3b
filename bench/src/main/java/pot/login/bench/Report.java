package pot.login.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** RESULTS.md: the table (pot-login against the peer and the bare 302, each row with its target) and how it was measured. */
final class Report {

    /** Everything the table shows: sign-ins per target name and level, the floor, the starts, the JMH scores. */
    record Figures(List<Integer> levels, Map<String, Map<Integer, LevelResult>> signIns, Map<String, Double> loadRss,
            LevelResult oursFloor, LevelResult bareFloor, Processes.Launched oursDemo, Processes.Launched peerDemo,
            Processes.Launched springDemo, Processes.Launched oursServer, Processes.Launched peerServer,
            Processes.Launched springServer, Map<String, Double> jmh,
            RedisMemory.Figures redis) {
    }

    private final StringBuilder text = new StringBuilder();

    /** The table, in Markdown. */
    static String table(Figures f) {
        Report report = new Report();
        report.header();
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            LevelResult sp = f.signIns().get(LoadDriver.SPRING).get(users);
            report.row("sign-ins/s, " + users(users), o.perSecond(), p.perSecond(), sp.perSecond(), "≥ 1.0× peer",
                    o.perSecond() >= p.perSecond());
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            LevelResult sp = f.signIns().get(LoadDriver.SPRING).get(users);
            report.row("app CPU ms / sign-in, " + users(users), o.appCpuMsPerOp(), p.appCpuMsPerOp(),
                    sp.appCpuMsPerOp(), "≤ 0.5× peer", o.appCpuMsPerOp() <= 0.5 * p.appCpuMsPerOp());
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            LevelResult sp = f.signIns().get(LoadDriver.SPRING).get(users);
            report.row("sandbox CPU ms / sign-in, " + users(users), o.sandboxCpuMsPerOp(), p.sandboxCpuMsPerOp(),
                    sp.sandboxCpuMsPerOp(), "", null);
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            LevelResult sp = f.signIns().get(LoadDriver.SPRING).get(users);
            report.row("p50 ms / sign-in, " + users(users), o.percentileMs(50), p.percentileMs(50),
                    sp.percentileMs(50), "", null);
            report.row("p99 ms / sign-in, " + users(users), o.percentileMs(99), p.percentileMs(99),
                    sp.percentileMs(99), "", null);
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            LevelResult sp = f.signIns().get(LoadDriver.SPRING).get(users);
            report.rowText("errors, " + users(users) + " (of " + o.ok.get() + " / " + p.ok.get() + " / "
                            + sp.ok.get() + " sign-ins)", String.valueOf(o.errors.get()), String.valueOf(p.errors.get()),
                    String.valueOf(sp.errors.get()), "", "", "0", o.errors.get() == 0);
        }
        report.rowVs("`/login` req/s, " + LoadDriver.FLOOR_USERS + " users (vs **bare 302** floor)",
                f.oursFloor().perSecond(), f.bareFloor().perSecond(), "≥ 0.8× floor",
                f.oursFloor().perSecond() >= 0.8 * f.bareFloor().perSecond());
        report.rowVs("`/login` app CPU µs / request (vs **bare 302** floor)", f.oursFloor().appCpuMsPerOp() * 1000,
                f.bareFloor().appCpuMsPerOp() * 1000, "", null);
        report.row("start to first response, ms (demo flags)", f.oursDemo().startMs(), f.peerDemo().startMs(),
                f.springDemo().startMs(), "≤ 1000 ms", f.oursDemo().startMs() <= 1000);
        report.row("RSS idle, MiB (demo flags)", f.oursDemo().idleRssMiB(), f.peerDemo().idleRssMiB(),
                f.springDemo().idleRssMiB(), "≤ 110 MiB", f.oursDemo().idleRssMiB() <= 110);
        report.row("start to first response, ms (server flags)", f.oursServer().startMs(),
                f.peerServer().startMs(), f.springServer().startMs(), "", null);
        report.row("RSS idle, MiB (server flags)", f.oursServer().idleRssMiB(), f.peerServer().idleRssMiB(),
                f.springServer().idleRssMiB(), "", null);
        report.row("RSS under load (max, " + f.levels().get(f.levels().size() - 1) + " users), MiB (server flags)",
                f.loadRss().get("pot-login"), f.loadRss().get("peer"), f.loadRss().get(LoadDriver.SPRING), "≤ 128 MiB",
                f.loadRss().get("pot-login") <= 128);
        jmhRow(report, f.jmh(), "stateIssue", "JMH state issue, µs", null);
        jmhRow(report, f.jmh(), "stateVerifyValid", "JMH state verify (valid), µs", null);
        jmhRow(report, f.jmh(), "stateVerifyTampered", "JMH state verify (tampered), µs", null);
        jmhRow(report, f.jmh(), "stateIssueAndVerify", "JMH state issue + verify, µs", 3.0);
        jmhRow(report, f.jmh(), "completeLogin", "JMH `CompleteLogin` (no-op ports), µs", null);
        if (f.signIns().containsKey(LoadDriver.OURS_REDIS)) {
            redisTable(report, f);
        }
        if (f.redis() != null) {
            redisMemoryTable(report, f.redis());
        }
        return report.text();
    }

    /** pot-login on the Redis store against pot-login in memory, same run, same portal, same levels. */
    static void redisTable(Report report, Figures f) {
        Map<Integer, LevelResult> memory = f.signIns().get(LoadDriver.OURS);
        Map<Integer, LevelResult> redis = f.signIns().get(LoadDriver.OURS_REDIS);
        report.text.append("\n### The Redis store: pot-login with `pot-login.store: redis` against in memory\n\n")
                .append("Same jar, flags and class-data treatment, same sandbox, the same levels taking turns with ")
                .append("the two targets above. Redis CPU is the redis-server process's utime + stime over the level.\n\n")
                .append("| measure | pot-login (memory) | pot-login (redis) | ratio redis / memory | target |\n")
                .append("|---|---:|---:|---:|---|\n");
        for (int users : f.levels()) {
            report.storeRow("sign-ins/s, " + users(users), memory.get(users).perSecond(),
                    redis.get(users).perSecond());
        }
        for (int users : f.levels()) {
            report.storeRow("app CPU ms / sign-in, " + users(users), memory.get(users).appCpuMsPerOp(),
                    redis.get(users).appCpuMsPerOp());
        }
        for (int users : f.levels()) {
            report.storeRowText("Redis CPU ms / sign-in, " + users(users), "—",
                    fmtFine(redis.get(users).redisCpuMsPerOp()), "");
        }
        for (int users : f.levels()) {
            report.storeRow("p50 ms / sign-in, " + users(users), memory.get(users).percentileMs(50),
                    redis.get(users).percentileMs(50));
            report.storeRow("p99 ms / sign-in, " + users(users), memory.get(users).percentileMs(99),
                    redis.get(users).percentileMs(99));
        }
        for (int users : f.levels()) {
            LevelResult m = memory.get(users);
            LevelResult r = redis.get(users);
            report.storeRowText("errors, " + users(users) + " (of " + m.ok.get() + " / " + r.ok.get() + " sign-ins)",
                    String.valueOf(m.errors.get()), String.valueOf(r.errors.get()), "");
        }
        int last = f.levels().get(f.levels().size() - 1);
        report.storeRow("RSS under load (max, " + users(last) + "), MiB", f.loadRss().get(LoadDriver.OURS),
                f.loadRss().get(LoadDriver.OURS_REDIS));
    }

    void storeRow(String measure, double memory, double redis) {
        storeRowText(measure, fmt(memory), fmt(redis), fmt(redis / memory));
    }

    void storeRowText(String measure, String memory, String redis, String ratio) {
        text.append("| ").append(measure).append(" | ").append(memory).append(" | ").append(redis).append(" | ")
                .append(ratio).append(" | — |\n");
    }

    /** What is in Redis: before and after the sign-ins, after the marks, and after the short-lived marks expired. */
    static void redisMemoryTable(Report report, RedisMemory.Figures r) {
        StringBuilder t = report.text;
        t.append("\n### Redis memory, bounded by expiry\n\n")
                .append("`used_memory` of `INFO memory` and `DBSIZE` of the bench's redis-server; bytes per key are ")
                .append("the growth since the row before divided by the keys added.\n\n")
                .append("| when | used_memory, MiB | keys (DBSIZE) | bytes / key added |\n")
                .append("|---|---:|---:|---:|\n");
        memoryRow(t, "before the sign-ins", r.beforeSignIns(), null);
        memoryRow(t, "after the sign-in levels: " + r.signInsThroughRedis() + " sign-ins through HTTP (warm-up "
                + "included), each one used-state key", r.afterSignIns(), r.beforeSignIns());
        RedisMemory.Batch marks = r.marks();
        memoryRow(t, String.format(Locale.ROOT, "after %,d used-state marks through the Redis adapter, what a "
                        + "sign-in writes (`RedisUsedStates.markUsed`, distinct 32-hex-digit ids, expiring with the "
                        + "state's max age, %d min): %.0f s, %.0f marks/s, Redis CPU %.1f µs / mark, %d not marked",
                marks.marks(), RedisMemory.STATE_MAX_AGE.toMinutes(), marks.seconds(), marks.perSecond(),
                marks.redisCpuUsPerMark(), marks.notMarked()), r.afterMarks(), r.afterSignIns());
        RedisMemory.Batch shortMarks = r.shortMarks();
        memoryRow(t, String.format(Locale.ROOT, "after %,d more marks, each expiring %d s after it was written "
                        + "(%.0f s, %d not marked)", shortMarks.marks(), RedisMemory.SHORT_EXPIRY.toSeconds(),
                shortMarks.seconds(), shortMarks.notMarked()), r.afterShortMarks(), r.afterMarks());
        if (r.mostlyGone() != null) {
            memoryRow(t, String.format(Locale.ROOT, "%.0f s after the last of them expired: at most 5 %% of them "
                            + "still counted (%d)", r.mostlyGoneSeconds(),
                    r.mostlyGone().keys() - r.afterMarks().keys()), r.mostlyGone(), null);
        }
        memoryRow(t, String.format(Locale.ROOT, "%.0f s after the last of them expired: %d of them still counted "
                        + "(Redis removes expired keys when read, and in an active cycle that slows down once few of "
                        + "the keys it samples have expired)", r.expirySeconds(),
                r.afterExpiry().keys() - r.afterMarks().keys()), r.afterExpiry(), null);
    }

    static void memoryRow(StringBuilder t, String when, BenchRedis.Sample sample, BenchRedis.Sample before) {
        t.append("| ").append(when).append(" | ").append(fmt(sample.usedMemory() / 1024.0 / 1024.0)).append(" | ")
                .append(sample.keys()).append(" | ")
                .append(before == null ? "" : fmt(sample.bytesPerKeySince(before))).append(" |\n");
    }

    /** Small per-sign-in figures (Redis's fraction of a millisecond) with three decimals. */
    static String fmtFine(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
    }

    void header() {
        text.append("| measure | pot-login | peer (micronaut-security-oauth2) | peer (Spring Security oauth2Login) "
                + "| ratio pot-login / micronaut peer | ratio pot-login / Spring peer | target | met |\n");
        text.append("|---|---:|---:|---:|---:|---:|---|---|\n");
    }

    void row(String measure, double ours, double peer, double spring, String target, Boolean met) {
        rowText(measure, fmt(ours), fmt(peer), fmt(spring), fmt(ours / peer), fmt(ours / spring), target, met);
    }

    void rowVs(String measure, double ours, double floor, String target, Boolean met) {
        rowText(measure, fmt(ours), fmt(floor) + " (bare 302)", "—", fmt(ours / floor), "", target, met);
    }

    void rowText(String measure, String ours, String peer, String spring, String ratio, String springRatio,
            String target, Boolean met) {
        text.append("| ").append(measure).append(" | ").append(ours).append(" | ").append(peer).append(" | ")
                .append(spring).append(" | ").append(ratio).append(" | ").append(springRatio).append(" | ")
                .append(target).append(" | ")
                .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    String text() {
        return text.toString();
    }

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
            report.rowText(label, "not run", "—", "—", "", "", target == null ? "" : "≤ " + fmt(target) + " µs", null);
        } else {
            report.rowText(label, fmt(score), "—", "—", "", "", target == null ? "" : "≤ " + fmt(target) + " µs",
                    target == null ? null : score <= target);
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
        return "Server flags (every app under load, and the bare 302): `" + String.join(" ", LoadDriver.SERVER_FLAGS)
                + "`. Demo flags (`run-demo`'s; start and idle RSS only, each app started alone and stopped): `"
                + String.join(" ", LoadDriver.DEMO_FLAGS) + "`. " + (Processes.CDS ? "Each app, with each set of flags, also gets a "
                + "class-data-sharing archive written by a training start of that same app (start, first response, "
                + "exit), as `run-demo` writes one on its first run." : "No class-data sharing (BENCH_CDS=0).");
    }

    static final String REDIS_METHOD = """
            * The Redis variant: a `redis-server` of its own (free loopback port, `--save '' --appendonly no`, \
            nothing on disk) and a second pot-login from the same jar with `POT_LOGIN_STORE=redis` and \
            `POT_LOGIN_REDIS_URI` pointing at it, the sandbox registering its redirect URI too; it is a third target \
            of the warm-up and the levels, taking turns with the others. Per sign-in it writes one used-state key \
            (`SET pot-login:used-state:<id> 1 NX PXAT <expiry>`) and asks on each authenticated page whether the \
            session was signed out (`EXISTS`); the scenario never signs out, so no `signed-out` key is written.
            * Redis memory: after the levels, 1 000 000 distinct state ids of the real shape (unless BENCH_REDIS_MARKS \
            says otherwise) are marked through the \
            real adapter (`RedisUsedStates` on a `RedisConnection` with the app's default timeouts, %d threads \
            sharing its one connection, as request threads do) with the real expiry; then as many again expiring \
            after %d s, and `used_memory` / `DBSIZE` read every second until those are gone or %d s have passed since \
            the last of them expired.
            """.formatted(RedisMemory.THREADS, RedisMemory.SHORT_EXPIRY.toSeconds(),
            RedisMemory.EXPIRY_WAIT.toSeconds());

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
                authorization-code login, cookie mode, against the same sandbox), the Spring peer \
                (`bench/spring-peer`: Spring Boot 3.5.7, Spring Security's default `oauth2Login()`, plain OAuth 2.0 \
                with `client_secret_post` and the sandbox's `/api/me` as user-info endpoint; its jar extracted by \
                Spring's `-Djarmode=tools extract`, run with `-jar`) and a bare Micronaut `GET /login` → \
                303 (`BareApp`, security off). %s \
                The sandbox runs with `-Xmx256m -XX:+UseSerialGC`.
                * A sign-in is every hop a browser makes, one at a time, each virtual user with its own HTTP/1.1 \
                client and cookie jar: pot-login `/login` → sandbox authorize (form) → sandbox sign-in (POST) → \
                `/login/complete` (landing page, session cookie) → `/` → `/me`; the peer `/oauth/login/sandbox` → \
                the same two sandbox hops → `/oauth/callback/sandbox` (303, its JWT cookie) → `/` → `/me`; the \
                Spring peer `/oauth2/authorization/sandbox` → the same two sandbox hops → \
                `/login/oauth2/code/sandbox` (302, its `JSESSIONID`) → `/` → `/me`. \
                Each hop's status, the session cookie and `/me` naming `demo` (`Demo User`) are checked; anything else is an error.
                * Per target: %d rounds of %d s warm-up at %d users, the targets taking turns (all warmed up \
                before any level), then %d s at each of %s users, the targets taking turns level by level \
                and their order reversing from level to level. CPU per sign-in is the \
                process's utime + stime (/proc/PID/stat) over the level divided by completed sign-ins; sign-ins in \
                flight at the deadline complete and count.
                * Both do the same portal work per sign-in: the token exchange, RS256 verification of the token \
                with the sandbox's JWKS, and one user lookup (`/api/me`): pot-login on `/me`, the peer in its \
                `OauthAuthenticationMapper` at sign-in (the usual place; its `/me` then names the user from its own \
                JWT session cookie). The Spring peer makes the token exchange and the `/api/me` lookup at sign-in \
                (`DefaultOAuth2UserService`) but verifies no signature (plain OAuth 2.0 login trusts the token \
                response; the portal checks the token on `/api/me`), sends no PKCE (Spring's default for a \
                confidential client) and keeps the user in its HTTP session (in memory). pot-login logs one line (INFO) per login started and completed; the peer \
                and the bare app log at INFO too (nothing per request).
                * `/login` vs the bare 302: %d users, %d s each after 3 s warm-up, same driver.
                * Start to first response: from process start to the first 303 of `/login` (peer: its \
                `/oauth/login/sandbox`), sandbox already running, once with the demo flags (that process is then \
                stopped; the median of 3 starts) and once with the server flags (that process takes the load). RSS idle: VmRSS 5 s after \
                the first response; under load: the highest VmRSS sampled (every 200 ms) during the last level.
                * JMH (`StateBenchmark`): average time, 1 fork, 2 × 2 s warm-up, 3 × 2 s measurement; \
                `completeLogin` is `LoginFlow.complete` with ports that answer at once (a fresh login started per \
                invocation, outside the measurement).
                %s* The load driver runs on the same machine as the servers and takes CPU from them; with 2 CPUs the \
                throughput figures are bounded by the machine, and the ratios are the meaningful part.
                """.formatted(table, machine + "\n", jvmFlagsText(), LoadDriver.WARMUP_ROUNDS, LoadDriver.WARMUP_S, LoadDriver.FLOOR_USERS, LoadDriver.LEVEL_S,
                levels, LoadDriver.FLOOR_USERS, LoadDriver.FLOOR_S, LoadDriver.REDIS ? REDIS_METHOD : "");
    }
}
