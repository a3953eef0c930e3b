package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/**
 * A million logins' worth of state handling — issue, verify, mark used — through the in-memory store, with time
 * moving on as it would: the heap after a full GC stays flat, because used states leave the store when their state
 * expires and the store never holds more than its bound.
 */
class MemoryStaysBoundedTest {

    static final int CYCLES = 1_000_000;
    static final int CHECKPOINTS = 5;
    /**
     * One login every 10 ms (100 a second, a busy morning): 60 000 states live at once under a 10-minute max age, below
     * the store's 100 000 bound, so it is the expiry that keeps the store small; 10 000 s pass in all.
     */
    static final Duration BETWEEN_LOGINS = Duration.ofMillis(10);

    @Test
    void a_million_state_issue_verify_and_use_cycles_leave_the_heap_flat_after_gc() {
        MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));
        Duration maxAge = Duration.ofMinutes(10);
        StateSigner signer = new StateSigner(new StateKeys(List.of(new StateKey("k1",
                Secret.of("k1", "memory-test-state-key-0123456789abcdef")))), maxAge, Duration.ofSeconds(30));
        CaffeineUsedStates used = new CaffeineUsedStates(100_000, clock);
        List<Long> heapAfterGc = new ArrayList<>();
        byte[] nonce = new byte[StateClaims.NONCE_BYTES];

        for (int i = 1; i <= CYCLES; i++) {
            ByteBuffer.wrap(nonce).putLong(i).putLong(~i);
            String state = signer.sign(new StateClaims(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                    nonce, new byte[StateClaims.BINDING_BYTES], ReturnPath.HOME));
            StateCheck check = signer.verify(state, clock.instant());
            StateClaims claims = ((StateCheck.Valid) check).claims();
            assertThat(used.markUsed(claims.nonceHex(), claims.issuedAt().plus(maxAge)))
                    .isEqualTo(new pot.login.domain.port.out.MarkResult.Marked());
            clock.advance(BETWEEN_LOGINS);
            if (i % (CYCLES / CHECKPOINTS) == 0) {
                heapAfterGc.add(usedHeapAfterGc());
                System.out.printf("after %,d cycles: %,d entries in the store, %,d KiB heap after GC%n", i,
                        used.size(), heapAfterGc.get(heapAfterGc.size() - 1) / 1024);
            }
        }

        // Flat: the last checkpoint is no higher than the first plus a margin for GC noise, far below what a million
        // remembered states would take (about 200 MB).
        long first = heapAfterGc.get(0);
        long last = heapAfterGc.get(heapAfterGc.size() - 1);
        assertThat(last).isLessThan(first + 16L * 1024 * 1024);
        assertThat(used.size()).isLessThanOrEqualTo(maxAge.toMillis() / BETWEEN_LOGINS.toMillis() + 1);
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long previous = Long.MAX_VALUE;
        // A few rounds until the figure stops falling: one System.gc() may leave finalizable or soft garbage.
        for (int round = 0; round < 5; round++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= previous) {
                return Math.min(now, previous);
            }
            previous = now;
        }
        return previous;
    }
}
