package pot.login.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The levers of issue 16 that are a JVM flag or a setting, each measured against pot-login as it ships, in the same
 * run: one sandbox, one pot-login process per variant (same jar), all warmed up, then rounds in which the variants
 * take turns level by level (the order reversing every time), so that a slow minute of a shared machine falls on all
 * of them. Each figure is the median of the rounds with its spread; a variant whose difference from the baseline is
 * inside the wider spread is "parity". Prints the table and writes it to {@code bench.levers} (bench/LEVERS.md).
 *
 * <p>Levers that are not a flag of the same jar (the AOT cache, Micronaut AOT) change the start, which
 * {@link LoadDriver} measures; bench/README.md has those figures.
 */
public final class LeverBench {

    /** A way to run the same jar: a name, what it changes and why it might pay, and its JVM flags after the server flags. */
    record Variant(String name, String lever, List<String> extraFlags, Map<String, String> extraEnv) {
        Variant(String name, String lever, List<String> extraFlags) {
            this(name, lever, extraFlags, Map.of());
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("as shipped", "`LoadDriver.SERVER_FLAGS`, pot-login's settings", List.of()),
            new Variant("loom carrier", "virtual threads (the blocking portal calls) carried by Netty's event loops "
                    + "instead of a hand-off to the JDK's scheduler and back (Micronaut 4.9+, experimental)",
                    List.of("-Dmicronaut.netty.event-loops.default.loom-carrier=true",
                            "--add-opens=java.base/java.lang=ALL-UNNAMED")),
            new Variant("2 event loops", "event-loop threads sized to the machine's 2 cores (Micronaut's default: "
                    + "2 per core)", List.of("-Dmicronaut.netty.event-loops.default.num-threads=2")),
            new Variant("filter off the callback", "micronaut-security's filter only on one-segment paths "
                    + "(`micronaut.security.filter.pattern=/*`): not on `/login/complete`, where a browser that signs "
                    + "in again sends its old session cookie, parsed and validated for nothing. An experiment: an ANT "
                    + "pattern cannot name the routes that need the filter, and one that leaves routes out fails open "
                    + "for any route added later", List.of("-Dmicronaut.security.filter.pattern=/*")),
            new Variant("JSON logs", "not a lever, a cost: `POT_LOGIN_LOG_FORMAT=json` (logstash-logback-encoder) "
                    + "instead of the text lines", List.of(), Map.of("POT_LOGIN_LOG_FORMAT", "json")),
            new Variant("no login events", "not a lever, a cost: the login events (`login_started`, "
                    + "`login_completed`, one INFO line each) switched off, to show what they cost",
                    List.of("-Dlogger.levels.pot.login.adapters.http=WARN")),
            new Variant("compact headers", "JDK 25's 8-byte object headers (JEP 519): less heap per object",
                    List.of("-XX:+UseCompactObjectHeaders")));

    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    static final int LEVEL_S = Integer.getInteger("bench.levelSeconds", 10);
    static final int WARMUP_S = Integer.getInteger("bench.warmupSeconds", 20);
    static final int WARMUP_ROUNDS = Integer.getInteger("bench.warmupRounds", 2);
    /** Sign-ins at 16 and 64 users, then {@link #LOGIN_ONLY}: {@code GET /login} alone at 16 users. */
    static final List<Integer> LEVELS = List.of(16, 64, 0);
    static final int LOGIN_ONLY = 0;

    private LeverBench() {
    }

    public static void main(String[] args) throws Exception {
        String appJar = LoadDriver.required("bench.appJar");
        String classpath = LoadDriver.required("bench.classpath");
        Path out = Path.of(LoadDriver.required("bench.levers"));
        Processes.logs = Path.of(System.getProperty("bench.logs", "bench/target/logs"));
        Files.createDirectories(Processes.logs);
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::stopAll, "bench-stop"));
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();

        int portalPort = Processes.freePort();
        List<Integer> ports = new ArrayList<>();
        for (Variant ignored : VARIANTS) {
            ports.add(Processes.freePort());
        }
        String portal = "http://127.0.0.1:" + portalPort;
        List<String> sandboxArgs = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-cp", classpath,
                BenchSandbox.class.getName(), String.valueOf(portalPort), app(ports.get(0)) + "/login/complete",
                "http://localhost:1/unused-peer", "http://localhost:1/unused-spring"));
        ports.subList(1, ports.size()).forEach(port -> sandboxArgs.add(app(port) + "/login/complete"));
        Process sandbox = Processes.start("levers-sandbox", Map.of(), sandboxArgs);
        Processes.awaitStatus(URI.create(portal + "/keys/jwks.json"), 200, sandbox);

        Map<Variant, Process> apps = new LinkedHashMap<>();
        for (int i = 0; i < VARIANTS.size(); i++) {
            Variant variant = VARIANTS.get(i);
            String app = app(ports.get(i));
            Map<String, String> env = LoadDriver.potLoginEnv(portal, app, ports.get(i));
            env.putAll(variant.extraEnv());
            List<String> jvm = new ArrayList<>(LoadDriver.SERVER_FLAGS);
            jvm.addAll(variant.extraFlags());
            jvm.addAll(List.of("-jar", appJar));
            Process process = Processes.start("lever-" + variant.name().replace(' ', '-'), env, jvm);
            Processes.awaitStatus(URI.create(app + "/login"), 303, process);
            apps.put(variant, process);
        }
        List<Variant> order = new ArrayList<>(VARIANTS);
        for (int round = 1; round <= WARMUP_ROUNDS; round++) {
            for (Variant variant : order) {
                LoadDriver.log("levers warm-up " + round + "/" + WARMUP_ROUNDS + " " + variant.name());
                run(variant, apps, sandbox, ports, 16, WARMUP_S);
            }
        }
        Map<Variant, Map<Integer, List<LevelResult>>> results = new LinkedHashMap<>();
        VARIANTS.forEach(variant -> results.put(variant, new LinkedHashMap<>()));
        int turn = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            for (int users : LEVELS) {
                List<Variant> turnOrder = turn++ % 2 == 0 ? order : order.reversed();
                for (Variant variant : turnOrder) {
                    LevelResult result = run(variant, apps, sandbox, ports, users, LEVEL_S);
                    LoadDriver.log("levers round " + round + " " + variant.name() + ": " + result.summary());
                    results.get(variant).computeIfAbsent(users, u -> new ArrayList<>()).add(result);
                }
            }
        }
        String table = table(results) + String.format(Locale.ROOT,
                "%nRun of %s on %d CPUs, %s; %d rounds of %d s per level after %d × %d s of warm-up; load average "
                        + "before: %s, after: %s.%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"), ROUNDS, LEVEL_S,
                WARMUP_ROUNDS, WARMUP_S, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.println(table);
        Files.writeString(out, table);
        Processes.stopAll();
        System.exit(0);
    }

    static String app(int port) {
        return "http://localhost:" + port;
    }

    static LevelResult run(Variant variant, Map<Variant, Process> apps, Process sandbox, List<Integer> ports,
            int users, int seconds) throws Exception {
        String app = app(ports.get(VARIANTS.indexOf(variant)));
        if (users == LOGIN_ONLY) {
            return VirtualUsers.run(apps.get(variant).pid(), sandbox.pid(), 16, seconds,
                    Scenario.loginOnly(app + "/login"));
        }
        return VirtualUsers.run(apps.get(variant).pid(), sandbox.pid(), users, seconds, Scenario.ours(app));
    }

    /** One figure of a variant over the rounds: median, lowest and highest. */
    record Spread(double median, double min, double max) {
        static Spread of(List<LevelResult> rounds, ToDoubleFunction<LevelResult> figure) {
            List<Double> values = new ArrayList<>(rounds.stream().map(figure::applyAsDouble).toList());
            Collections.sort(values);
            int n = values.size();
            double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
            return new Spread(median, values.get(0), values.get(n - 1));
        }

        double width() {
            return max - min;
        }

        String text() {
            return Report.fmt(median) + " (" + Report.fmt(min) + "–" + Report.fmt(max) + ")";
        }
    }

    record Measure(String label, ToDoubleFunction<LevelResult> figure, boolean higherIsBetter) {
    }

    static String table(Map<Variant, Map<Integer, List<LevelResult>>> results) {
        List<Measure> measures = List.of(
                new Measure("app CPU ms / sign-in (/login: per request)", LevelResult::appCpuMsPerOp, false),
                new Measure("sign-ins/s (/login: requests/s)", LevelResult::perSecond, true),
                new Measure("p99 ms", result -> result.percentileMs(99), false),
                new Measure("RSS under load (max), MiB", result -> result.maxRssMiB, false),
                new Measure("errors (sign-ins that failed, per round)", result -> result.errors.get(), false));
        StringBuilder text = new StringBuilder("# Levers, each against pot-login as shipped (same run)\n\n"
                + "Written by `bench/levers`; median of the rounds (lowest–highest). \"parity\": the difference from "
                + "the baseline is inside the wider of the two spreads. A variant with failed sign-ins is no lever, "
                + "whatever its other figures (latencies count the sign-ins that completed).\n\n"
                + "| lever | what it changes |\n|---|---|\n");
        VARIANTS.forEach(variant -> text.append("| ").append(variant.name()).append(" | ").append(variant.lever())
                .append(" |\n"));
        Variant baseline = VARIANTS.get(0);
        for (int users : LEVELS) {
            text.append("\n### ").append(users == LOGIN_ONLY ? "`GET /login` alone, 16 users (per request)"
                    : "Sign-ins, " + users + " users").append("\n\n| measure |");
            VARIANTS.forEach(variant -> text.append(' ').append(variant.name()).append(" |"));
            text.append("\n|---|").append("---:|".repeat(VARIANTS.size())).append('\n');
            for (Measure measure : measures) {
                Spread base = Spread.of(results.get(baseline).get(users), measure.figure());
                text.append("| ").append(measure.label()).append(" | ").append(base.text()).append(" |");
                for (Variant variant : VARIANTS.subList(1, VARIANTS.size())) {
                    Spread spread = Spread.of(results.get(variant).get(users), measure.figure());
                    double ratio = spread.median() / base.median();
                    boolean parity = Math.abs(spread.median() - base.median()) <= Math.max(spread.width(), base.width())
                            || spread.median() == base.median();
                    boolean better = measure.higherIsBetter() ? ratio > 1 : ratio < 1;
                    String ratioText = Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2f×", ratio) : "—";
                    text.append(' ').append(spread.text()).append(", ").append(ratioText).append(", ")
                            .append(parity ? "parity" : better ? "better" : "worse").append(" |");
                }
                text.append('\n');
            }
        }
        return text.toString();
    }
}
