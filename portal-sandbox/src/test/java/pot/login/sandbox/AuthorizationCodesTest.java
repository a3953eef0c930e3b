package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pot.login.sandbox.AuthorizationCodes.Grant;

class AuthorizationCodesTest {

    static final Grant GRANT = new Grant("client", "http://localhost/cb", null, "demo");

    final SettableClock clock = new SettableClock();
    final AuthorizationCodes codes = new AuthorizationCodes(Duration.ofSeconds(60), clock);

    @Test
    void a_code_redeems_its_grant_once() {
        String code = codes.issue(GRANT).orElseThrow();

        assertThat(codes.redeem(code)).contains(GRANT);
        assertThat(codes.redeem(code)).isEmpty();
    }

    @Test
    void a_code_expires_at_the_end_of_its_lifetime() {
        String justInTime = codes.issue(GRANT).orElseThrow();
        String tooLate = codes.issue(GRANT).orElseThrow();
        clock.advance(Duration.ofSeconds(60).minusMillis(1));
        assertThat(codes.redeem(justInTime)).contains(GRANT);

        clock.advance(Duration.ofMillis(1));

        assertThat(codes.redeem(tooLate)).isEmpty();
    }

    @Test
    void stays_bounded_and_makes_room_as_codes_expire() {
        IntStream.range(0, AuthorizationCodes.MAX_PENDING).forEach(i -> codes.issue(GRANT).orElseThrow());

        assertThat(codes.issue(GRANT)).isEmpty();

        clock.advance(Duration.ofSeconds(60));
        assertThat(codes.issue(GRANT)).isPresent();
    }
}
