package pot.login.adapters.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.UsedStates;

/**
 * Used states in this process's memory, bounded twice: each entry lives until its state expires, and the whole store
 * holds at most {@code maximumSize} entries. One instance only: several app instances need a shared store.
 *
 * <p>If the bound is reached (a flood of logins), Caffeine drops the entries it expects to need least, and a dropped
 * state could be replayed until it expires. The binding to the browser and the portal's single-use codes still stand
 * then; a warning says it happened, so that the bound can be raised.
 *
 * <p>It never answers {@link MarkResult.Unavailable}: the store is this process's memory, which is there as long as
 * the process is.
 */
public final class CaffeineUsedStates implements UsedStates {

    private static final Logger LOG = LoggerFactory.getLogger(CaffeineUsedStates.class);
    private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    private final Cache<String, Instant> used;
    private final Clock clock;
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

    public CaffeineUsedStates(long maximumSize, Clock clock) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize is positive, got " + maximumSize);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.used = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.creating((String id, Instant expiresAt) -> untilExpiry(expiresAt)))
                .ticker(() -> Duration.ofMillis(clock.millis()).toNanos())
                .evictionListener((String id, Instant expiresAt, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        warnSizeEviction();
                    }
                })
                .build();
    }

    @Override
    public MarkResult markUsed(String stateId, Instant expiresAt) {
        Objects.requireNonNull(stateId, "stateId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        // putIfAbsent is atomic and treats an expired entry as absent: exactly one caller wins.
        return used.asMap().putIfAbsent(stateId, expiresAt) == null ? new MarkResult.Marked()
                : new MarkResult.AlreadyUsed();
    }

    /** How many entries the store holds now (an estimate, for tests and metrics). */
    public long size() {
        used.cleanUp();
        return used.estimatedSize();
    }

    private Duration untilExpiry(Instant expiresAt) {
        Duration left = Duration.between(clock.instant(), expiresAt);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void warnSizeEviction() {
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Used-state store is full: older entries are being dropped before their states expire. "
                    + "Raise pot-login.used-states-maximum-size, or look for a flood of logins.");
        }
    }
}
