package pot.login.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import pot.login.adapters.redis.LettuceTuning;
import pot.login.adapters.redis.RedisConnection;
import pot.login.adapters.redis.RedisSettings;
import pot.login.adapters.redis.RedisUsedStates;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.state.StateClaims;

/**
 * What pot-login's sign-ins leave in Redis, and that expiry bounds it. A sign-in writes one used-state key, so a large
 * number of sign-ins is reproduced by that write alone: {@code marks} distinct state ids of the real shape (the hex of
 * {@link StateClaims#NONCE_BYTES} random bytes), each marked through the real adapter ({@link RedisUsedStates}, the
 * app's connection settings) with the real expiry (now + the state's max age); then a second batch that expires after
 * {@link #SHORT_EXPIRY}, and {@code used_memory} and {@code DBSIZE} sampled until that batch is gone.
 */
final class RedisMemory {

    /** The app's default {@code pot-login.state.max-age}: a used-state key lives as long as its state could be used. */
    static final Duration STATE_MAX_AGE = Duration.ofMinutes(10);
    static final Duration SHORT_EXPIRY = Duration.ofSeconds(5);
    /** Calls in flight on the one shared connection: Lettuce pipelines them, as it does the app's request threads. */
    static final int THREADS = 64;
    static final Duration EXPIRY_WAIT = Duration.ofSeconds(60);

    /** One batch of marks: how many, how long they took, how many the store did not answer, Redis's CPU. */
    record Batch(long marks, double seconds, long notMarked, long redisTicks) {
        double perSecond() {
            return marks / seconds;
        }

        double redisCpuUsPerMark() {
            return redisTicks * 1e6 / ProcFs.CLK_TCK / marks;
        }
    }

    /**
     * Everything the report shows: the samples (before the sign-ins, after them, after the marks, after the short
     * batch, when at most 5 % of that batch was left ({@code mostlyGone}: null if never within the wait), at the end of
     * the wait), the sign-ins that went through Redis, both batches, and the seconds after the short batch's last
     * expiry.
     */
    record Figures(BenchRedis.Sample beforeSignIns, BenchRedis.Sample afterSignIns, long signInsThroughRedis,
            Batch marks, BenchRedis.Sample afterMarks, Batch shortMarks, BenchRedis.Sample afterShortMarks,
            BenchRedis.Sample mostlyGone, double mostlyGoneSeconds, BenchRedis.Sample afterExpiry,
            double expirySeconds) {
    }

    private RedisMemory() {
    }

    static Figures measure(BenchRedis redis, BenchRedis.Sample beforeSignIns, BenchRedis.Sample afterSignIns,
            long signInsThroughRedis, long marks) throws Exception {
        RedisSettings settings = new RedisSettings(URI.create(redis.uri()), Duration.ofMillis(500),
                Duration.ofMillis(500));
        // The client set up as the app sets up its own (LettuceTuning), so the marks meet the same timeouts.
        ClientResources resources = LettuceTuning.reconnectSoon(ClientResources.builder()).build();
        RedisClient client = RedisClient.create(resources, LettuceTuning.redisUri(settings));
        client.setOptions(LettuceTuning.clientOptions(settings));
        try {
            RedisUsedStates usedStates = new RedisUsedStates(new RedisConnection(client::connect, settings.redacted()));
            LoadDriver.log("redis: " + marks + " used-state marks through RedisUsedStates, expiring after "
                    + STATE_MAX_AGE.toMinutes() + " min");
            Batch batch = mark(redis, usedStates, marks, STATE_MAX_AGE);
            BenchRedis.Sample afterMarks = redis.sample("after the marks");
            LoadDriver.log("  " + describe(batch) + "; " + afterMarks);
            LoadDriver.log("redis: " + marks + " more marks, expiring after " + SHORT_EXPIRY.toSeconds() + " s");
            Batch shortBatch = mark(redis, usedStates, marks, SHORT_EXPIRY);
            long lastExpiry = System.nanoTime() + SHORT_EXPIRY.toNanos();
            BenchRedis.Sample afterShort = redis.sample("after the short-lived marks");
            LoadDriver.log("  " + describe(shortBatch) + "; " + afterShort);
            // Redis removes an expired key when it is next read, or in its active cycle (which samples keys with an
            // expiry ten times a second and stops early once few of those it samples have expired): DBSIZE still
            // counts a key that expired but is not yet removed. Sampled every second: when at most 5 % of the batch
            // is left, and at the end of the wait.
            BenchRedis.Sample now = afterShort;
            BenchRedis.Sample mostlyGone = null;
            double mostlyGoneSeconds = Double.NaN;
            long waitDeadline = lastExpiry + EXPIRY_WAIT.toNanos();
            while (now.keys() > afterMarks.keys() && System.nanoTime() < waitDeadline) {
                Thread.sleep(1000);
                double seconds = (System.nanoTime() - lastExpiry) / 1e9;
                now = redis.sample(String.format(Locale.ROOT, "%.0f s after the last short mark expired", seconds));
                LoadDriver.log("  " + now);
                if (mostlyGone == null && now.keys() - afterMarks.keys() <= marks / 20) {
                    mostlyGone = now;
                    mostlyGoneSeconds = seconds;
                }
            }
            double expirySeconds = (System.nanoTime() - lastExpiry) / 1e9;
            return new Figures(beforeSignIns, afterSignIns, signInsThroughRedis, batch, afterMarks, shortBatch,
                    afterShort, mostlyGone, mostlyGoneSeconds, now, expirySeconds);
        } finally {
            client.shutdown();
            resources.shutdown();
        }
    }

    /** {@code marks} distinct ids marked through the adapter by {@link #THREADS} threads, each expiring after {@code ttl}. */
    static Batch mark(BenchRedis redis, RedisUsedStates usedStates, long marks, Duration ttl) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong notMarked = new AtomicLong();
        long ticksBefore = redis.cpuTicks();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread thread = new Thread(() -> {
                SecureRandom random = new SecureRandom();
                byte[] nonce = new byte[StateClaims.NONCE_BYTES];
                HexFormat hex = HexFormat.of();
                while (next.getAndIncrement() < marks) {
                    random.nextBytes(nonce);
                    MarkResult result = usedStates.markUsed(hex.formatHex(nonce), Instant.now().plus(ttl));
                    if (!(result instanceof MarkResult.Marked)) {
                        notMarked.incrementAndGet();
                    }
                }
            }, "mark-" + i);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Batch(marks, (System.nanoTime() - start) / 1e9, notMarked.get(), redis.cpuTicks() - ticksBefore);
    }

    static String describe(Batch batch) {
        return String.format(Locale.ROOT, "%d marks in %.1f s (%.0f/s), %d not marked, redis CPU %.1f µs/mark",
                batch.marks(), batch.seconds(), batch.perSecond(), batch.notMarked(), batch.redisCpuUsPerMark());
    }
}
