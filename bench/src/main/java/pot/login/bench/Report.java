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
            Processes.Launched oursServer, Processes.Launched peerServer, Map<String, Double> jmh) {
    }

    private final StringBuilder text = new StringBuilder();

    /** The table, in Markdown. */
    static String table(Figures f) {
        Report report = new Report();
        report.header();
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            report.row("sign-ins/s, " + users(users), o.perSecond(), p.perSecond(), "≥ 1.0× peer",
                    o.perSecond() >= p.perSecond());
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            report.row("app CPU ms / sign-in, " + users(users), o.appCpuMsPerOp(), p.appCpuMsPerOp(),
                    "≤ 0.5× peer", o.appCpuMsPerOp() <= 0.5 * p.appCpuMsPerOp());
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            report.row("sandbox CPU ms / sign-in, " + users(users), o.sandboxCpuMsPerOp(), p.sandboxCpuMsPerOp(),
                    "", null);
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            report.row("p50 ms / sign-in, " + users(users), o.percentileMs(50), p.percentileMs(50), "", null);
            report.row("p99 ms / sign-in, " + users(users), o.percentileMs(99), p.percentileMs(99), "", null);
        }
        for (int users : f.levels()) {
            LevelResult o = f.signIns().get("pot-login").get(users);
            LevelResult p = f.signIns().get("peer").get(users);
            report.rowText("errors, " + users(users) + " (of " + o.ok.get() + " / " + p.ok.get() + " sign-ins)",
                    String.valueOf(o.errors.get()), String.valueOf(p.errors.get()), "", "0", o.errors.get() == 0);
        }
        report.rowVs("`/login` req/s, " + LoadDriver.FLOOR_USERS + " users (vs **bare 302** floor)",
                f.oursFloor().perSecond(), f.bareFloor().perSecond(), "≥ 0.8× floor",
                f.oursFloor().perSecond() >= 0.8 * f.bareFloor().perSecond());
        report.rowVs("`/login` app CPU µs / request (vs **bare 302** floor)", f.oursFloor().appCpuMsPerOp() * 1000,
                f.bareFloor().appCpuMsPerOp() * 1000, "", null);
        report.row("start to first response, ms (demo flags)", f.oursDemo().startMs(), f.peerDemo().startMs(),
                "≤ 1000 ms", f.oursDemo().startMs() <= 1000);
        report.row("RSS idle, MiB (demo flags)", f.oursDemo().idleRssMiB(), f.peerDemo().idleRssMiB(), "≤ 110 MiB",
                f.oursDemo().idleRssMiB() <= 110);
        report.row("start to first response, ms (server flags)", f.oursServer().startMs(),
                f.peerServer().startMs(), "", null);
        report.row("RSS idle, MiB (server flags)", f.oursServer().idleRssMiB(), f.peerServer().idleRssMiB(), "", null);
        report.row("RSS under load (max, " + f.levels().get(f.levels().size() - 1) + " users), MiB (server flags)",
                f.loadRss().get("pot-login"), f.loadRss().get("peer"), "≤ 128 MiB",
                f.loadRss().get("pot-login") <= 128);
        jmhRow(report, f.jmh(), "stateIssue", "JMH state issue, µs", null);
        jmhRow(report, f.jmh(), "stateVerifyValid", "JMH state verify (valid), µs", null);
        jmhRow(report, f.jmh(), "stateVerifyTampered", "JMH state verify (tampered), µs", null);
        jmhRow(report, f.jmh(), "stateIssueAndVerify", "JMH state issue + verify, µs", 3.0);
        jmhRow(report, f.jmh(), "completeLogin", "JMH `CompleteLogin` (no-op ports), µs", null);
        return report.text();
    }

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
                """.formatted(table, machine + "\n", jvmFlagsText(), LoadDriver.WARMUP_ROUNDS, LoadDriver.WARMUP_S, LoadDriver.FLOOR_USERS, LoadDriver.LEVEL_S,
                levels, LoadDriver.FLOOR_USERS, LoadDriver.FLOOR_S);
    }
}
