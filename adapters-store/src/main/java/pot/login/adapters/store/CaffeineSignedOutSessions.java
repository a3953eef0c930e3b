package pot.login.adapters.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;

/**
 * Signed-out sessions in this process's memory: each entry lives until its token expires (a Caffeine {@link Expiry}
 * per entry), and the store holds at most {@code maximumSize} of them. One instance only: a sign-out must be seen by
 * every instance, which needs a shared store.
 *
 * <p>On overflow the oldest sign-outs go first, so a flood of sign-outs (each needs a real session of the portal's)
 * makes the store forget the oldest ones before their tokens expire: a copy of such a cookie is accepted again until
 * the token's own expiry, which still ends it. Oldest-first, not Caffeine's size eviction: that one prefers to keep
 * what it has seen often and would drop a fresh sign-out, the one most likely to matter, right after a flood. A
 * warning says it happened, so that the bound can be raised.
 *
 * <p>It never answers {@code Unavailable}: the store is this process's memory, there as long as the process is.
 */
public final class CaffeineSignedOutSessions implements SignedOutSessions {

    private static final Logger LOG = LoggerFactory.getLogger(CaffeineSignedOutSessions.class);
    private static final long WARN_EVERY_MILLIS = Duration.ofMinutes(1).toMillis();

    /** The sequence number tells two sign-outs of one session apart, so the order's stale entry drops no newer one. */
    private record Entry(Instant until, long sequence) {
    }

    private record Remembered(String session, Entry entry) {
    }

    private final long maximumSize;
    private final Clock clock;
    private final Cache<String, Entry> signedOut;
    /** Sign-outs oldest first, at most {@code maximumSize} of them: what goes when the store is full. */
    private final Queue<Remembered> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong inOrder = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE / 2);

    public CaffeineSignedOutSessions(long maximumSize, Clock clock) {
        if (maximumSize < 1) {
            throw new IllegalArgumentException("maximumSize is positive, got " + maximumSize);
        }
        this.maximumSize = maximumSize;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.signedOut = Caffeine.newBuilder()
                .expireAfter(Expiry.creating((String session, Entry entry) -> untilExpiry(entry.until())))
                .ticker(() -> Duration.ofMillis(clock.millis()).toNanos())
                .build();
    }

    @Override
    public RememberResult remember(SessionId session, Instant until) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(until, "until");
        Entry entry = new Entry(until, sequence.incrementAndGet());
        if (signedOut.asMap().putIfAbsent(session.value(), entry) == null) {
            order.add(new Remembered(session.value(), entry));
            inOrder.incrementAndGet();
            dropExpiredAndOverflow();
        }
        return new RememberResult.Remembered();
    }

    @Override
    public SignOutCheck check(SessionId session) {
        Objects.requireNonNull(session, "session");
        return signedOut.getIfPresent(session.value()) != null ? new SignOutCheck.SignedOut()
                : new SignOutCheck.NotSignedOut();
    }

    /** How many sign-outs the store holds now (for tests and metrics). */
    public long size() {
        signedOut.cleanUp();
        return signedOut.estimatedSize();
    }

    /** Tokens mostly live equally long, so the oldest are also the first to expire: both leave from the head. */
    private void dropExpiredAndOverflow() {
        Instant now = clock.instant();
        for (Remembered oldest = order.peek(); oldest != null; oldest = order.peek()) {
            boolean expired = !oldest.entry().until().isAfter(now);
            if (!expired && inOrder.get() <= maximumSize) {
                return;
            }
            if (order.remove(oldest)) {
                inOrder.decrementAndGet();
                signedOut.asMap().remove(oldest.session(), oldest.entry());
                if (!expired) {
                    warnOverflow();
                }
            }
        }
    }

    private Duration untilExpiry(Instant until) {
        Duration left = Duration.between(clock.instant(), until);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void warnOverflow() {
        long now = clock.millis();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_MILLIS && lastWarning.compareAndSet(last, now)) {
            LOG.warn("Signed-out-session store is full: the oldest sign-outs are forgotten before their tokens "
                    + "expire. Raise pot-login.signed-out-sessions-maximum-size, or look for a flood of sign-outs.");
        }
    }
}
