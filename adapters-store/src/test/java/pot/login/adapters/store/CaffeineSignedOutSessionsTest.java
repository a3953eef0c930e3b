package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.SignedOutSessionsContract;

class CaffeineSignedOutSessionsTest extends SignedOutSessionsContract {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));

    @Override
    protected SignedOutSessions newStore() {
        return new CaffeineSignedOutSessions(100_000, clock);
    }

    /** Caffeine expires by the ticker the adapter builds from its clock: the contract may move that clock. */
    @Override
    protected StoreTime time() {
        return new StoreTime() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public void pass(Duration duration) {
                clock.advance(duration);
            }
        };
    }

    @Override
    protected String whyNoOutage() {
        return "Caffeine keeps the signed-out sessions in this process's memory: there is no outage to simulate";
    }

    /** The contract in real time, as a store with its own clock runs it: Caffeine with the system clock passes too. */
    @Nested
    class OnTheSystemClock extends SignedOutSessionsContract {
        @Override
        protected SignedOutSessions newStore() {
            return new CaffeineSignedOutSessions(100_000, Clock.systemUTC());
        }

        @Override
        protected String whyNoOutage() {
            return CaffeineSignedOutSessionsTest.this.whyNoOutage();
        }
    }

    @Test
    void forgets_sign_outs_once_their_tokens_have_expired_so_memory_stays_bounded_in_time() {
        CaffeineSignedOutSessions store = new CaffeineSignedOutSessions(10_000, clock);
        for (int i = 0; i < 1_000; i++) {
            store.remember(session("token-" + i), clock.instant().plus(Duration.ofHours(1)));
        }
        assertThat(store.size()).isEqualTo(1_000);

        clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertThat(store.size()).isZero();
    }

    @Test
    void never_holds_more_than_its_maximum_size() {
        CaffeineSignedOutSessions store = new CaffeineSignedOutSessions(100, clock);
        for (int i = 0; i < 10_000; i++) {
            store.remember(session("token-" + i), clock.instant().plus(Duration.ofHours(1)));
        }

        assertThat(store.size()).isLessThanOrEqualTo(100);
    }

    /** A flood forgets the oldest sign-outs first and keeps the newest: a fresh sign-out is never the one dropped. */
    @Test
    void when_full_it_forgets_the_oldest_sign_outs_and_keeps_the_newest() {
        CaffeineSignedOutSessions store = new CaffeineSignedOutSessions(100, clock);
        for (int i = 0; i < 1_000; i++) {
            store.remember(session("token-" + i), clock.instant().plus(Duration.ofHours(1)));
            // The flood's sessions are the ones asked about, so a frequency-based policy would keep them.
            store.check(session("token-" + i));
            store.check(session("token-" + i));
        }

        for (int i = 0; i < 900; i++) {
            assertThat(store.check(session("token-" + i))).as("token-%d", i).isEqualTo(new SignOutCheck.NotSignedOut());
        }
        for (int i = 900; i < 1_000; i++) {
            assertThat(store.check(session("token-" + i))).as("token-%d", i).isEqualTo(new SignOutCheck.SignedOut());
        }
    }
}
