package pot.login.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import pot.login.bench.Processes.Launched;

/**
 * RESULTS.md: the targets of issue 16 as ratios to the best peer (with the previous run's ratios beside them), then
 * every figure of the three apps with its spread over the rounds, the Redis store, the machine and the method.
 */
final class Report {

    /**
     * Everything RESULTS.md shows. {@code signIns}: per target, per level, one result per round; {@code floor}: per
     * app (pot-login, bare 302), one {@code /login} result per round; the starts per app, in the order they were
     * made; {@code loads}: the machine's load average at the moments named; {@code extraTargets}: target rows measured
     * elsewhere (the heap over 1 000 000 sign-ins), shown after the others.
     */
    record Figures(List<Integer> levels, Map<String, Map<Integer, List<LevelResult>>> signIns,
            Map<String, List<LevelResult>> floor, Map<String, List<Launched>> demoStarts,
            Map<String, List<Launched>> serverStarts, Map<String, Double> jmh, RedisMemory.Figures redis,
            List<TargetRow> extraTargets, Previous previous, List<Load> loads, String date) {

        Stat levelStat(String target, int users, ToDoubleFunction<LevelResult> value) {
            return Stat.of(signIns.get(target).get(users).stream().mapToDouble(value).boxed().toList());
        }

        long levelSum(String target, int users, ToDoubleFunction<LevelResult> value) {
            return (long) signIns.get(target).get(users).stream().mapToDouble(value).sum();
        }

        int lastLevel() {
            return levels.getLast();
        }
    }

    /** The machine's 1, 5 and 15 min load average (/proc/loadavg) at a moment of the run. */
    record Load(String when, String average) {
        static Load now(String when) throws IOException {
            return of(when, Files.readString(Path.of("/proc/loadavg")));
        }

        static Load of(String when, String loadavg) {
            return new Load(when, String.join(" ", Arrays.asList(loadavg.trim().split(" ")).subList(0, 3)));
        }

        double oneMinute() {
            return Double.parseDouble(average.split(" ")[0]);
        }
    }

    /** A figure over the rounds: the median, and the spread from the lowest to the highest round. */
    record Stat(double median, double min, double max) {
        static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN);

        static Stat of(List<Double> values) {
            List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
            if (sorted.isEmpty()) {
                return NONE;
            }
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Stat(median, sorted.getFirst(), sorted.getLast());
        }

        static <T> Stat of(List<T> items, ToDoubleFunction<T> value) {
            return of(items.stream().mapToDouble(value).boxed().toList());
        }

        double spread() {
            return max - min;
        }

        boolean known() {
            return !Double.isNaN(median);
        }

        /** {@code 425 (410–431)}: the median, then the lowest and highest round. */
        String text() {
            if (!known()) {
                return "n/a";
            }
            return min == max ? fmt(median) : fmt(median) + " (" + fmt(min) + "–" + fmt(max) + ")";
        }
    }

    enum Better {
        HIGHER("≥"), LOWER("≤");

        final String sign;

        Better(String sign) {
            this.sign = sign;
        }

        boolean isBetter(double a, double b) {
            return this == HIGHER ? a > b : a < b;
        }
    }

    enum Verdict {
        MET("met"), NOT_MET("**not met**"), PARITY("parity"), UNKNOWN("n/a");

        final String text;

        Verdict(String text) {
            this.text = text;
        }

        /**
         * Parity when the two medians are closer than the wider of the two spreads: a difference the rounds
         * themselves do not agree on is no win, even with the ratio on the good side of the target.
         */
        static Verdict of(Stat ours, Stat reference, Better better, double goal) {
            if (!ours.known() || !reference.known()) {
                return UNKNOWN;
            }
            if (Math.abs(ours.median() - reference.median()) < Math.max(ours.spread(), reference.spread())) {
                return PARITY;
            }
            double ratio = ours.median() / reference.median();
            return (better == Better.HIGHER ? ratio >= goal : ratio <= goal) ? MET : NOT_MET;
        }
    }

    /**
     * One row of the targets table: {@code key} is stable (the machine-readable ratios of RESULTS.md use it, and the
     * next run finds this run's ratio by it); {@code reference} names what pot-login is compared with and its figure.
     */
    record TargetRow(String key, String measure, String ours, String reference, double ratio, String target,
            Verdict verdict) {
    }

    /** A measure of all three apps: {@code stat} gives an app's figure over the rounds. */
    record Measure(String key, String label, Better better, Function<String, Stat> stat) {
    }

    /** A figure of one sign-in level. */
    record LevelMeasure(String key, String label, Better better, ToDoubleFunction<LevelResult> value) {
    }

    static final List<LevelMeasure> LEVEL_MEASURES = List.of(
            new LevelMeasure("rate", "sign-ins/s", Better.HIGHER, LevelResult::perSecond),
            new LevelMeasure("cpu", "app CPU ms / sign-in", Better.LOWER, LevelResult::appCpuMsPerOp),
            new LevelMeasure("sandbox-cpu", "sandbox CPU ms / sign-in", Better.LOWER, LevelResult::sandboxCpuMsPerOp),
            new LevelMeasure("p50", "p50 ms / sign-in", Better.LOWER, r -> r.percentileMs(50)),
            new LevelMeasure("p99", "p99 ms / sign-in", Better.LOWER, r -> r.percentileMs(99)));

    /** Issue 16's targets: pot-login / best peer, in the order of the targets table. */
    static final Map<String, Double> GOALS = ordered(List.of(Map.entry("cpu-16", 0.5), Map.entry("cpu-64", 0.5),
            Map.entry("rate-16", 1.2), Map.entry("rate-64", 1.2), Map.entry("p99-16", 0.8), Map.entry("p99-64", 0.8),
            Map.entry("start-demo", 0.5), Map.entry("start-server", 0.5), Map.entry("rss-idle-demo", 0.8),
            Map.entry("rss-idle-server", 0.8), Map.entry("rss-load-64", 0.7)));
    static final double FLOOR_GOAL = 0.9;
    static final double REDIS_CPU_GOAL = 1.15;
    static final List<Integer> REDIS_GOAL_LEVELS = List.of(16, 64);
    static final List<String> PEERS = List.of(LoadDriver.PEER, LoadDriver.SPRING);
    static final Map<String, String> PEER_NAMES = Map.of(LoadDriver.PEER, "micronaut-security-oauth2",
            LoadDriver.SPRING, "Spring Security oauth2Login");

    private final StringBuilder text = new StringBuilder();

    /** Every measure of the three apps, in the order of the detailed table; those with a goal also in the targets. */
    static List<Measure> measures(Figures f) {
        List<Measure> measures = new ArrayList<>();
        for (LevelMeasure m : LEVEL_MEASURES) {
            for (int users : f.levels()) {
                measures.add(new Measure(m.key() + "-" + users, m.label() + ", " + users(users), m.better(),
                        app -> f.levelStat(app, users, m.value())));
            }
        }
        measures.add(startMeasure("start-demo", "start to first response, ms (demo flags)", f.demoStarts(),
                Launched::startMs));
        measures.add(startMeasure("rss-idle-demo", "RSS idle, MiB (demo flags)", f.demoStarts(), Launched::idleRssMiB));
        measures.add(startMeasure("start-server", "start to first response, ms (server flags)", f.serverStarts(),
                Launched::startMs));
        measures.add(startMeasure("rss-idle-server", "RSS idle, MiB (server flags)", f.serverStarts(),
                Launched::idleRssMiB));
        int last = f.lastLevel();
        measures.add(new Measure("rss-load-" + last, "RSS under load (max, " + users(last) + "), MiB (server flags)",
                Better.LOWER, app -> f.levelStat(app, last, r -> r.maxRssMiB)));
        return measures;
    }

    static Measure startMeasure(String key, String label, Map<String, List<Launched>> starts,
            ToDoubleFunction<Launched> value) {
        return new Measure(key, label, Better.LOWER, app -> Stat.of(starts.get(app), value));
    }

    /** The better of the two peers by its median (the first one named when they are equal), with its figure. */
    record Best(String name, Stat stat) {
        static Best of(Measure measure) {
            Best best = null;
            for (String peer : PEERS) {
                Stat stat = measure.stat().apply(peer);
                if (best == null || !best.stat().known()
                        || stat.known() && measure.better().isBetter(stat.median(), best.stat().median())) {
                    best = new Best(peer, stat);
                }
            }
            return best;
        }
    }

    /** RESULTS.md's tables, in Markdown: the targets, then every figure. */
    static String tables(Figures f) {
        Report report = new Report();
        List<Measure> measures = measures(f);
        report.targets(f, targetRows(f, measures));
        report.details(f, measures);
        if (f.signIns().containsKey(LoadDriver.OURS_REDIS)) {
            report.redisTable(f);
        }
        if (f.redis() != null) {
            redisMemoryTable(report, f.redis());
        }
        return report.text.toString();
    }

    /** The rows of the targets table, in the order of the issue. */
    static List<TargetRow> targetRows(Figures f, List<Measure> measures) {
        Map<String, Measure> byKey = measures.stream()
                .collect(Collectors.toMap(Measure::key, m -> m, (a, b) -> a, LinkedHashMap::new));
        List<TargetRow> rows = new ArrayList<>();
        GOALS.forEach((key, goal) -> {
            Measure measure = byKey.get(key);
            if (measure != null) { // a level the run did not measure (bench.levels) has no row
                Best best = Best.of(measure);
                rows.add(row(key, measure.label(), measure.stat().apply(LoadDriver.OURS),
                        "**" + PEER_NAMES.get(best.name()) + "**: ", best.stat(), measure.better(), goal, "best peer"));
            }
        });
        Stat oursFloor = Stat.of(f.floor().get(LoadDriver.OURS), LevelResult::perSecond);
        Stat bareFloor = Stat.of(f.floor().get(LoadDriver.BARE), LevelResult::perSecond);
        rows.add(row("login-floor", FLOOR_LABEL, oursFloor, "**bare 302**: ", bareFloor, Better.HIGHER, FLOOR_GOAL,
                "floor"));
        if (f.signIns().containsKey(LoadDriver.OURS_REDIS)) {
            for (int users : REDIS_GOAL_LEVELS) {
                if (f.levels().contains(users)) {
                    rows.add(row("redis-cpu-" + users, "Redis store: app CPU ms / sign-in, " + users(users)
                                    + " (redis / in memory)",
                            f.levelStat(LoadDriver.OURS_REDIS, users, LevelResult::appCpuMsPerOp),
                            "**pot-login (memory)**: ", f.levelStat(LoadDriver.OURS, users, LevelResult::appCpuMsPerOp),
                            Better.LOWER, REDIS_CPU_GOAL, "in memory"));
                }
            }
        }
        rows.addAll(f.extraTargets());
        return rows;
    }

    static final String FLOOR_LABEL = "`/login` req/s, " + LoadDriver.FLOOR_USERS + " users (vs **bare 302** floor)";

    static TargetRow row(String key, String measure, Stat ours, String referenceName, Stat reference, Better better,
            double goal, String against) {
        return new TargetRow(key, measure, ours.text(), referenceName + reference.text(),
                ours.median() / reference.median(), better.sign + " " + goal + "× " + against,
                Verdict.of(ours, reference, better, goal));
    }

    void targets(Figures f, List<TargetRow> rows) {
        text.append("## Targets (issue 16): pot-login against the best peer, measured in the same run\n\n")
                .append("| measure | pot-login | best peer (name: value) | ratio (this run) | previous run's ratio ")
                .append("| target | verdict |\n")
                .append("|---|---:|---|---:|---:|---|---|\n");
        for (TargetRow row : rows) {
            text.append("| ").append(row.measure()).append(" | ").append(row.ours()).append(" | ")
                    .append(row.reference()).append(" | ").append(fmt(row.ratio())).append(" | ")
                    .append(f.previous().ratio(row)).append(" | ").append(row.target()).append(" | ")
                    .append(row.verdict().text).append(" |\n");
        }
        text.append("\nEach figure: the median over the rounds, then (lowest–highest round). The best peer is the ")
                .append("better of the two peers for that measure. **Parity**: the medians differ by less than the ")
                .append("wider of the two spreads, so the run cannot tell them apart, whatever the ratio. ")
                .append(f.previous().note()).append("\n\n")
                .append(ratiosLine(rows, f.date())).append("\n");
    }

    /** The ratios for the next run to read (by key, not by the rows' text, which may change). */
    static String ratiosLine(List<TargetRow> rows, String date) {
        String json = rows.stream()
                .map(r -> "\"" + r.key() + "\": " + (Double.isFinite(r.ratio())
                        ? String.format(Locale.ROOT, "%.3f", r.ratio()) : "null"))
                .collect(Collectors.joining(", ", "{", "}"));
        return "<!-- bench-ratios " + json + " date=" + date + " -->";
    }

    /** Every measure of the three apps, with its spread, and the ratio to the best peer. */
    void details(Figures f, List<Measure> measures) {
        text.append("\n## All figures (median over the rounds, lowest–highest round)\n\n")
                .append("| measure | pot-login | peer (micronaut-security-oauth2) | peer (Spring Security oauth2Login) ")
                .append("| pot-login / best peer |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (Measure m : measures) {
            Stat ours = m.stat().apply(LoadDriver.OURS);
            Best best = Best.of(m);
            detailRow(m.label(), ours.text(), m.stat().apply(LoadDriver.PEER).text(),
                    m.stat().apply(LoadDriver.SPRING).text(),
                    fmt(ours.median() / best.stat().median()) + " (" + PEER_NAMES.get(best.name()) + ")");
        }
        for (int users : f.levels()) {
            detailRow("errors, " + users(users) + " (of " + okSums(f, users, PEERS_AND_OURS) + " sign-ins, all rounds)",
                    errors(f, LoadDriver.OURS, users), errors(f, LoadDriver.PEER, users),
                    errors(f, LoadDriver.SPRING, users), "");
        }
        Stat oursFloor = Stat.of(f.floor().get(LoadDriver.OURS), LevelResult::perSecond);
        Stat bareFloor = Stat.of(f.floor().get(LoadDriver.BARE), LevelResult::perSecond);
        detailRow(FLOOR_LABEL, oursFloor.text(), bareFloor.text() + " (bare 302)", "—",
                fmt(oursFloor.median() / bareFloor.median()) + " (bare 302)");
        Stat oursFloorCpu = Stat.of(f.floor().get(LoadDriver.OURS), r -> r.appCpuMsPerOp() * 1000);
        Stat bareFloorCpu = Stat.of(f.floor().get(LoadDriver.BARE), r -> r.appCpuMsPerOp() * 1000);
        detailRow("`/login` app CPU µs / request (vs **bare 302** floor)", oursFloorCpu.text(),
                bareFloorCpu.text() + " (bare 302)", "—",
                fmt(oursFloorCpu.median() / bareFloorCpu.median()) + " (bare 302)");
        jmhRow(f.jmh(), "stateIssue", "JMH state issue, µs");
        jmhRow(f.jmh(), "stateVerifyValid", "JMH state verify (valid), µs");
        jmhRow(f.jmh(), "stateVerifyTampered", "JMH state verify (tampered), µs");
        jmhRow(f.jmh(), "stateIssueAndVerify", "JMH state issue + verify, µs");
        jmhRow(f.jmh(), "completeLogin", "JMH `CompleteLogin` (no-op ports), µs");
    }

    static final List<String> PEERS_AND_OURS = List.of(LoadDriver.OURS, LoadDriver.PEER, LoadDriver.SPRING);

    static String okSums(Figures f, int users, List<String> targets) {
        return targets.stream().map(t -> String.valueOf(f.levelSum(t, users, r -> r.ok.get())))
                .collect(Collectors.joining(" / "));
    }

    static String errors(Figures f, String target, int users) {
        return String.valueOf(f.levelSum(target, users, r -> r.errors.get()));
    }

    void detailRow(String measure, String ours, String peer, String spring, String ratio) {
        text.append("| ").append(measure).append(" | ").append(ours).append(" | ").append(peer).append(" | ")
                .append(spring).append(" | ").append(ratio).append(" |\n");
    }

    void jmhRow(Map<String, Double> jmh, String benchmark, String label) {
        Double score = jmh.get(benchmark);
        detailRow(label, score == null ? "not run" : fmt(score), "—", "—", "");
    }

    /** pot-login on the Redis store against pot-login in memory, same run, same portal, same levels and rounds. */
    void redisTable(Figures f) {
        text.append("\n### The Redis store: pot-login with `pot-login.store: redis` against in memory\n\n")
                .append("Same jar, flags and class-data treatment, same sandbox, the same levels and rounds taking ")
                .append("turns with the targets above. Redis CPU is the redis-server process's utime + stime over ")
                .append("the level.\n\n")
                .append("| measure | pot-login (memory) | pot-login (redis) | ratio redis / memory |\n")
                .append("|---|---:|---:|---:|\n");
        for (LevelMeasure m : LEVEL_MEASURES) {
            if (m.key().equals("sandbox-cpu")) {
                continue;
            }
            for (int users : f.levels()) {
                storeRow(m.label() + ", " + users(users), f.levelStat(LoadDriver.OURS, users, m.value()),
                        f.levelStat(LoadDriver.OURS_REDIS, users, m.value()));
            }
        }
        for (int users : f.levels()) {
            Stat redisCpu = f.levelStat(LoadDriver.OURS_REDIS, users, LevelResult::redisCpuMsPerOp);
            text.append("| Redis CPU ms / sign-in, ").append(users(users)).append(" | — | ")
                    .append(redisCpu.known() ? fmtFine(redisCpu.median()) + " (" + fmtFine(redisCpu.min()) + "–"
                            + fmtFine(redisCpu.max()) + ")" : "n/a")
                    .append(" |  |\n");
        }
        for (int users : f.levels()) {
            text.append("| errors, ").append(users(users)).append(" (of ")
                    .append(okSums(f, users, List.of(LoadDriver.OURS, LoadDriver.OURS_REDIS)))
                    .append(" sign-ins, all rounds) | ").append(errors(f, LoadDriver.OURS, users)).append(" | ")
                    .append(errors(f, LoadDriver.OURS_REDIS, users)).append(" |  |\n");
        }
        int last = f.lastLevel();
        storeRow("RSS under load (max, " + users(last) + "), MiB", f.levelStat(LoadDriver.OURS, last, r -> r.maxRssMiB),
                f.levelStat(LoadDriver.OURS_REDIS, last, r -> r.maxRssMiB));
    }

    void storeRow(String measure, Stat memory, Stat redis) {
        text.append("| ").append(measure).append(" | ").append(memory.text()).append(" | ").append(redis.text())
                .append(" | ").append(fmt(redis.median() / memory.median())).append(" |\n");
    }

    static Map<String, Double> ordered(List<Map.Entry<String, Double>> entries) {
        Map<String, Double> map = new LinkedHashMap<>();
        entries.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
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

    /**
     * The ratios of the run committed before this one, to show beside this run's: from its machine-readable
     * {@code bench-ratios} line when it has one, else (RESULTS.md before rounds) from its tables' ratio column,
     * matching rows by their measure text; those ratios were to the micronaut-security-oauth2 peer.
     */
    record Previous(String date, boolean legacy, Map<String, String> ratios) {
        static final Pattern RATIOS_LINE = Pattern.compile("<!-- bench-ratios (\\{.*?}) date=(\\S+) -->");
        static final Pattern RATIO = Pattern.compile("\"([^\"]+)\":\\s*([-0-9.eE+]+|null)");
        static final Pattern MACHINE_DATE = Pattern.compile("date: (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d)");
        /** The section of the old format's Redis store table: its rows' text is that of the main table. */
        static final String LEGACY_REDIS = "redis|";

        static Previous none() {
            return new Previous(null, false, Map.of());
        }

        static Previous read(String file) throws IOException {
            if (file == null || !new File(file).isFile()) {
                return none();
            }
            String results = Files.readString(Path.of(file));
            Matcher line = RATIOS_LINE.matcher(results);
            if (line.find()) {
                Map<String, String> ratios = new LinkedHashMap<>();
                Matcher ratio = RATIO.matcher(line.group(1));
                while (ratio.find()) {
                    if (!ratio.group(2).equals("null")) {
                        ratios.put(ratio.group(1), fmt(Double.parseDouble(ratio.group(2))));
                    }
                }
                return new Previous(line.group(2), false, ratios);
            }
            Matcher date = MACHINE_DATE.matcher(results);
            return new Previous(date.find() ? date.group(1) + "Z" : "date unknown", true, legacyRatios(results));
        }

        /** The old tables: {@code | measure | … | ratio … | …}, the first column named "ratio…" in each table. */
        static Map<String, String> legacyRatios(String results) {
            Map<String, String> ratios = new LinkedHashMap<>();
            String section = "";
            int ratioColumn = -1;
            for (String line : results.lines().toList()) {
                if (line.startsWith("#")) {
                    section = line.contains("Redis store") ? LEGACY_REDIS : "";
                    ratioColumn = -1;
                } else if (line.startsWith("| measure |")) {
                    ratioColumn = cells(line).stream().filter(c -> c.startsWith("ratio")).findFirst()
                            .map(cells(line)::indexOf).orElse(-1);
                } else if (line.startsWith("| ") && ratioColumn > 0) {
                    List<String> cells = cells(line);
                    if (cells.size() > ratioColumn && !cells.get(ratioColumn).isEmpty()) {
                        ratios.putIfAbsent(section + cells.get(0), cells.get(ratioColumn));
                    }
                }
            }
            return ratios;
        }

        static List<String> cells(String row) {
            String inner = row.strip().substring(1, row.strip().length() - 1);
            return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
        }

        /** The previous ratio of this row, or — when that run did not measure it. */
        String ratio(TargetRow row) {
            String measure = row.key().startsWith("redis-cpu-")
                    ? LEGACY_REDIS + row.measure().substring("Redis store: ".length()).replace(" (redis / in memory)", "")
                    : row.measure();
            return ratios.getOrDefault(legacy ? measure : row.key(), "—");
        }

        String note() {
            if (date == null) {
                return "No previous run to compare with.";
            }
            return legacy
                    ? "Previous run: " + date + ", ratios to the micronaut-security-oauth2 peer (RESULTS.md before "
                            + "rounds and the best peer), one run per figure."
                    : "Previous run: " + date + ", ratios to the best peer.";
        }
    }

    static String machine(List<Load> loads, String date) throws IOException {
        String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        String machine = String.format(Locale.ROOT, "Machine: %d CPUs (%s), %.1f GiB RAM; JDK: %s %s (%s); date: %s; "
                        + "class data: %s.%n%nLoad average (1, 5, 15 min, /proc/loadavg): %s.",
                Runtime.getRuntime().availableProcessors(), model, memKb / 1024.0 / 1024.0,
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), date, Processes.CLASS_DATA.text,
                loads.stream().map(l -> l.when() + " " + l.average()).collect(Collectors.joining("; ")));
        double load1 = loads.getFirst().oneMinute();
        if (load1 > 1.0) {
            machine += String.format(Locale.ROOT, "%n%n**The machine was not idle when the benchmark started** "
                    + "(1-min load average %.2f on %d CPUs: other work on this shared machine, or the tail of it); "
                    + "absolute figures may be lower and noisier than on an idle machine, the ratios less so.", load1,
                    Runtime.getRuntime().availableProcessors());
        }
        return machine;
    }

    static String jvmFlagsText() {
        String classData = switch (Processes.CLASS_DATA) {
            case AOT -> "Each app, with each set of flags, gets a JDK 25 AOT cache (JEP 483/514/515) trained on real "
                    + "work before its starts: a training run with `-XX:AOTCacheOutput` and the very flags of the "
                    + "measured starts signs in " + Processes.TRAIN_SIGN_INS + " times at " + Processes.TRAIN_USERS
                    + " users through its own scenario (the bare 302: as many `/login`), then exits on SIGTERM and "
                    + "the JVM assembles the cache; the measured starts run with `-XX:AOTCache -XX:AOTMode=on` (a "
                    + "cache the JVM cannot use is an error) and their `-Xlog:aot` says the cache was used.";
            case CDS -> "Each app, with each set of flags, gets a dynamic class-data-sharing archive written by a "
                    + "training start of that same app (start, first response, exit), before its starts.";
            case NONE -> "No class-data sharing and no AOT cache (BENCH_CDS=0).";
        };
        return "Server flags (every app under load, and the bare 302): `" + String.join(" ", LoadDriver.SERVER_FLAGS)
                + "`. Demo flags (`run-demo`'s; start and idle RSS only): `" + String.join(" ", LoadDriver.DEMO_FLAGS)
                + "`. " + classData;
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


    static String resultsMarkdown(String tables, String machine, List<Integer> levels) {
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
                * Warm-up: %d × %d s at %d users per target, the targets taking turns. Then %d rounds; each round \
                runs every level (%s users, %d s each) for every target. The order of the targets rotates one \
                place from level to level and from round to round (for two targets: it reverses), so that at each \
                level each target goes first in a different round: none always meets the others' leftovers (JIT, \
                GC, a warmed-up sandbox). Every round's figures are kept; each figure \
                shown is the median over the rounds, with the lowest and highest round beside it. Percentiles are \
                each round's own, then their median; errors are the sum over the rounds; RSS under load is the \
                median of each round's highest VmRSS (sampled every 200 ms) during the last level. CPU per sign-in \
                is the process's utime + stime (/proc/PID/stat) over the level divided by completed sign-ins; \
                sign-ins in flight at the deadline complete and count.
                * The best peer: per measure, the better of the two peers (higher sign-ins/s and `/login` req/s; \
                lower CPU, latency, start, RSS); the ratio is pot-login / that peer. A target is **met** when the \
                ratio is on its side of the target, **parity** when the two medians differ by less than the wider \
                of the two spreads (highest − lowest round) whatever the ratio, else **not met**.
                * Both Micronaut apps do the same portal work per sign-in: the token exchange, RS256 verification of the token \
                with the sandbox's JWKS, and one user lookup (`/api/me`): pot-login on `/me`, the peer in its \
                `OauthAuthenticationMapper` at sign-in (the usual place; its `/me` then names the user from its own \
                JWT session cookie). The Spring peer makes the token exchange and the `/api/me` lookup at sign-in \
                (`DefaultOAuth2UserService`) but verifies no signature (plain OAuth 2.0 login trusts the token \
                response; the portal checks the token on `/api/me`), sends no PKCE (Spring's default for a \
                confidential client) and keeps the user in its HTTP session (in memory). pot-login logs one line (INFO) per login started and completed; the peer \
                and the bare app log at INFO too (nothing per request).
                * `/login` vs the bare 302: %d users, a 3 s warm-up each, then %d rounds of %d s each, the two \
                taking turns (which goes first alternates), same driver.
                * Start to first response: from process start to the first answer of the app's first hop \
                (`/login`'s 303; the peers' redirect), sandbox already running. With the demo flags, %d starts \
                per app, the apps taking turns (pot-login, peer, Spring, pot-login, …), each stopped after its \
                idle RSS; then the same with the server flags, the last start of each staying up for the load (the \
                Redis pot-login and the bare 302 are started once). RSS idle: VmRSS 5 s after the first response. \
                Class data is trained once per app and set of flags, before its starts.
                * JMH (`StateBenchmark`): average time, 1 fork, 2 × 2 s warm-up, 3 × 2 s measurement; \
                `completeLogin` is `LoginFlow.complete` with ports that answer at once (a fresh login started per \
                invocation, outside the measurement).
                %s* The load driver runs on the same machine as the servers and takes CPU from them; with 2 CPUs the \
                throughput figures are bounded by the machine, and the ratios are the meaningful part.
                """.formatted(tables, machine, jvmFlagsText(), LoadDriver.WARMUP_ROUNDS, LoadDriver.WARMUP_S,
                LoadDriver.FLOOR_USERS, LoadDriver.ROUNDS, levels, LoadDriver.LEVEL_S, LoadDriver.FLOOR_USERS,
                LoadDriver.ROUNDS, LoadDriver.FLOOR_S, LoadDriver.STARTS, LoadDriver.REDIS ? REDIS_METHOD : "");
    }
}
