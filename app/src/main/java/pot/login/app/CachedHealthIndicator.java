package pot.login.app;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;

/**
 * A readiness indicator that asks a dependency (the portal's keys, the shared store) at most once per
 * {@code pot-login.health.cache-ttl} and answers within {@code pot-login.health.timeout}: probes, however frequent and
 * however many instances send them, cannot hammer the portal, and a dependency that hangs makes readiness DOWN, not
 * slow (a probe that times out counts as a failure anyway, but holds a thread while it waits). One question at a time:
 * probes that arrive while it is asked wait for that answer.
 */
final class CachedHealthIndicator implements HealthIndicator {

    /** Asks the dependency: a short description when it answers, an exception whose message says what failed. */
    @FunctionalInterface
    interface DependencyCheck {
        String ask() throws Exception;
    }

    private final String name;
    private final DependencyCheck check;
    private final Duration ttl;
    private final Duration timeout;
    private final Clock clock;
    private final Executor executor;
    private final Object lock = new Object();
    private HealthResult last;
    private Instant lastAskedAt;
    private CompletableFuture<HealthResult> asking;

    CachedHealthIndicator(String name, DependencyCheck check, Duration ttl, Duration timeout, Clock clock,
                          Executor executor) {
        this.name = Objects.requireNonNull(name, "name");
        this.check = Objects.requireNonNull(check, "check");
        this.ttl = positiveOrZero(ttl, "pot-login.health.cache-ttl");
        this.timeout = positiveOrZero(timeout, "pot-login.health.timeout");
        if (timeout.isZero()) {
            throw new IllegalArgumentException("pot-login.health.timeout is 0s: every check would be DOWN");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.fromCompletableFuture(current());
    }

    CompletableFuture<HealthResult> current() {
        synchronized (lock) {
            if (last != null && clock.instant().isBefore(lastAskedAt.plus(ttl))) {
                return CompletableFuture.completedFuture(last);
            }
            if (asking == null) {
                CompletableFuture<HealthResult> started = CompletableFuture.supplyAsync(this::ask, executor)
                        .completeOnTimeout(down("no answer within " + timeout.toMillis() + " ms"),
                                timeout.toMillis(), TimeUnit.MILLISECONDS);
                asking = started;
                started.whenComplete((result, failure) -> {
                    synchronized (lock) {
                        last = result;
                        lastAskedAt = clock.instant();
                        asking = null;
                    }
                });
                // Completed already (a check that returned at once): the callback above has run, asking is null.
                return started;
            }
            return asking;
        }
    }

    private HealthResult ask() {
        try {
            return HealthResult.builder(name, HealthStatus.UP).details(Map.of("source", check.ask())).build();
        } catch (Exception e) {
            return down(String.valueOf(e.getMessage()));
        }
    }

    private HealthResult down(String why) {
        return HealthResult.builder(name, HealthStatus.DOWN).details(Map.of("error", why)).build();
    }

    private static Duration positiveOrZero(Duration duration, String setting) {
        Objects.requireNonNull(duration, setting);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(setting + " is negative: " + duration);
        }
        return duration;
    }
}
