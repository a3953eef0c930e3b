package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.AuthorizationCodes.MAX_PENDING;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import pot.login.sandbox.AuthorizationCodes.Grant;

class AuthorizationCodesTest {

    static final Grant GRANT = new Grant("client", "http://localhost/cb", null, "demo");
    static final int PER_USER = SandboxSettings.defaults().pendingCodesPerUser();

    final SettableClock clock = new SettableClock();
    final AuthorizationCodes codes = new AuthorizationCodes(Duration.ofSeconds(60), PER_USER, clock);
    final Logger log = (Logger) LoggerFactory.getLogger(AuthorizationCodes.class);
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    /** Captured, not printed: the floods below would print a line per dropped code. */
    @BeforeEach
    void captureTheLog() {
        logged.start();
        log.addAppender(logged);
        log.setAdditive(false);
    }

    @AfterEach
    void releaseTheLog() {
        log.detachAppender(logged);
        log.setAdditive(true);
    }

    @Test
    void a_code_redeems_its_grant_once() {
        String code = codes.issue(GRANT);

        assertThat(codes.redeem(code)).contains(GRANT);
        assertThat(codes.redeem(code)).isEmpty();
    }

    @Test
    void a_code_expires_at_the_end_of_its_lifetime() {
        String justInTime = codes.issue(GRANT);
        String tooLate = codes.issue(GRANT);
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(codes.redeem(justInTime)).contains(GRANT);

        clock.advance(Duration.ofMillis(1));

        assertThat(codes.redeem(tooLate)).isEmpty();
    }

    @Test
    void a_users_newest_code_always_works_and_their_oldest_beyond_the_bound_is_refused() {
        List<String> issued = issue(GRANT, 3 * PER_USER);

        assertThat(codes.size()).isEqualTo(PER_USER);
        List<String> dropped = issued.subList(0, 2 * PER_USER);
        List<String> kept = issued.subList(2 * PER_USER, issued.size());
        assertThat(dropped).allSatisfy(code -> assertThat(codes.redeem(code)).isEmpty());
        assertThat(kept).allSatisfy(code -> assertThat(codes.redeem(code)).contains(GRANT));
    }

    @Test
    void one_user_signing_in_again_and_again_never_locks_out_another_user() {
        Grant bob = grant("client", "bob");
        String bobsEarlierCode = codes.issue(bob);

        List<String> alices = issue(grant("client", "alice"), 2 * MAX_PENDING);

        assertThat(codes.size()).isEqualTo(PER_USER + 1);
        assertThat(codes.redeem(bobsEarlierCode)).contains(bob);
        assertThat(codes.redeem(codes.issue(bob))).contains(bob);
        assertThat(codes.redeem(alices.get(alices.size() - 1))).isPresent();
    }

    @Test
    void a_client_signing_a_user_in_again_and_again_never_drops_that_users_code_at_another_client() {
        Grant atThisClient = grant("this-client", "alice");
        String code = codes.issue(atThisClient);

        issue(grant("other-client", "alice"), 10 * PER_USER);

        assertThat(codes.redeem(code)).contains(atThisClient);
    }

    @Test
    void a_client_with_fewer_users_than_the_pool_needs_to_overflow_never_drops_anyone_elses_code() {
        Grant victim = grant("client", "victim");
        String code = codes.issue(victim);
        int users = (MAX_PENDING - 1) / PER_USER;

        for (int round = 0; round < 2 * PER_USER; round++) {
            for (int user = 0; user < users; user++) {
                codes.issue(grant("greedy-client", "user-" + user));
            }
        }

        assertThat(codes.size()).isEqualTo(users * PER_USER + 1).isLessThanOrEqualTo(MAX_PENDING);
        assertThat(codes.redeem(code)).contains(victim);
    }

    @Test
    void the_pool_stays_bounded_under_many_users_dropping_the_oldest_codes_overall_and_refusing_no_sign_in() {
        List<String> issued = new ArrayList<>();
        int largest = 0;
        for (int user = 0; user < 3 * MAX_PENDING; user++) {
            issued.add(codes.issue(grant("client", "user-" + user)));
            largest = Math.max(largest, codes.size());
        }

        assertThat(largest).isEqualTo(MAX_PENDING);
        List<String> dropped = issued.subList(0, 2 * MAX_PENDING);
        List<String> kept = issued.subList(2 * MAX_PENDING, issued.size());
        assertThat(dropped).allSatisfy(code -> assertThat(codes.redeem(code)).isEmpty());
        for (int i = 0; i < kept.size(); i++) {
            assertThat(codes.redeem(kept.get(i))).contains(grant("client", "user-" + (2 * MAX_PENDING + i)));
        }
    }

    @Test
    void a_dropped_code_is_logged_with_its_client_and_user_but_never_the_code_itself() {
        issue(grant("client", "alice"), PER_USER + 1);
        IntStream.range(0, MAX_PENDING).forEach(user -> codes.issue(grant("client", "user-" + user)));

        List<String> lines = logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines)
                .contains("a pending code of client_id=client user=alice was dropped: " + PER_USER
                        + " newer ones are pending")
                .contains("the oldest pending code (client_id=client user=alice) was dropped: " + MAX_PENDING
                        + " codes are pending");
        // A code is 43 base64url characters.
        assertThat(String.join("\n", lines)).doesNotContainPattern("[A-Za-z0-9_-]{43}");
    }

    @Test
    void a_redeemed_code_frees_its_place_in_its_users_bound() {
        List<String> issued = issue(GRANT, PER_USER);
        assertThat(codes.redeem(issued.get(PER_USER - 1))).contains(GRANT);

        String next = codes.issue(GRANT);

        assertThat(codes.redeem(issued.get(0))).contains(GRANT);
        assertThat(codes.redeem(next)).contains(GRANT);
    }

    @Test
    void expired_codes_leave_the_pool_at_the_next_sign_in() {
        issue(grant("client", "alice"), PER_USER);
        issue(grant("client", "bob"), PER_USER);
        clock.advance(Duration.ofSeconds(60));

        String fresh = codes.issue(grant("client", "alice"));

        assertThat(codes.size()).isEqualTo(1);
        assertThat(codes.redeem(fresh)).isPresent();
    }

    @Test
    void codes_redeemed_by_many_threads_at_once_are_each_granted_once() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 100; round++) {
                // As many users as codes, so that no bound drops a code before it is redeemed.
                List<String> issued = IntStream.range(0, 1_000)
                        .mapToObj(user -> codes.issue(grant("client", "user-" + user))).toList();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Long>> attempts = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    attempts.add(pool.submit(() -> {
                        start.await();
                        return issued.stream().filter(code -> codes.redeem(code).isPresent()).count();
                    }));
                }
                start.countDown();
                long granted = 0;
                for (Future<Long> attempt : attempts) {
                    granted += attempt.get(30, TimeUnit.SECONDS);
                }
                assertThat(granted).as("codes granted in round %d", round).isEqualTo(issued.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void one_user_signing_in_on_many_threads_at_once_still_holds_no_more_than_the_bound() throws Exception {
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ConcurrentLinkedQueue<String> issued = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> signIns = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                signIns.add(pool.submit(() -> {
                    start.await();
                    IntStream.range(0, 2_000).forEach(n -> issued.add(codes.issue(GRANT)));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> signIn : signIns) {
                signIn.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(codes.size()).isEqualTo(PER_USER);
        assertThat(issued.stream().filter(code -> codes.redeem(code).isPresent()).count()).isEqualTo(PER_USER);
    }

    private List<String> issue(Grant grant, int times) {
        List<String> issued = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            issued.add(codes.issue(grant));
        }
        return issued;
    }

    private static Grant grant(String clientId, String username) {
        return new Grant(clientId, "http://localhost/cb", null, username);
    }
}
