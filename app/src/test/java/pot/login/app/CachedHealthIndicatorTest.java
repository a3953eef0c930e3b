package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachedHealthIndicatorTest {

    private static final Duration TTL = Duration.ofSeconds(10);
    private final MovableClock clock = new MovableClock();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger asked = new AtomicInteger();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void probes_within_the_cache_ttl_ask_the_dependency_once() {
        CachedHealthIndicator indicator = indicator(() -> "keys " + asked.incrementAndGet(), Duration.ofSeconds(1));

        for (int probe = 0; probe < 20; probe++) {
            assertThat(indicator.current().join().getStatus()).isEqualTo(HealthStatus.UP);
            clock.advance(Duration.ofMillis(400));
        }
        assertThat(asked).as("20 probes over 8 s, ttl 10 s").hasValue(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(indicator.current().join().getDetails()).isEqualTo(Map.of("source", "keys 2"));
        assertThat(asked).hasValue(2);
    }

    @Test
    void a_failed_answer_is_cached_as_well_so_that_a_dependency_that_is_down_is_not_asked_by_every_probe() {
        CachedHealthIndicator indicator = indicator(() -> {
            asked.incrementAndGet();
            throw new IllegalStateException("cannot load the portal's signing keys from JWKS at http://x/jwks");
        }, Duration.ofSeconds(1));

        for (int probe = 0; probe < 20; probe++) {
            HealthResult result = indicator.current().join();
            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(result.getDetails())
                    .isEqualTo(Map.of("error", "cannot load the portal's signing keys from JWKS at http://x/jwks"));
        }
        assertThat(asked).hasValue(1);
    }

    @Test
    void a_dependency_that_does_not_answer_within_the_timeout_is_down_and_concurrent_probes_share_one_question()
            throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachedHealthIndicator indicator = indicator(() -> {
            asked.incrementAndGet();
            release.await();
            return "late";
        }, Duration.ofMillis(200));

        List<CompletableFuture<HealthResult>> probes = new ArrayList<>();
        for (int probe = 0; probe < 10; probe++) {
            probes.add(indicator.current());
        }
        for (CompletableFuture<HealthResult> probe : probes) {
            HealthResult result = probe.get(2, TimeUnit.SECONDS);
            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(result.getDetails()).isEqualTo(Map.of("error", "no answer within 200 ms"));
        }
        assertThat(asked).hasValue(1);
        release.countDown();
    }

    private CachedHealthIndicator indicator(CachedHealthIndicator.DependencyCheck check, Duration timeout) {
        return new CachedHealthIndicator("portal-keys", check, TTL, timeout, clock, executor);
    }

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
