package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;
import pot.login.domain.Rejection;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserLookup;
import pot.login.domain.port.out.UserProfile;

class CaffeineUserDirectoryTest {

    static final UserLookup.Found DEMO = new UserLookup.Found(new UserProfile("demo", "Demo", "User", "d@example.com"));

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));
    final List<String> asked = new ArrayList<>();
    UserLookup answer = DEMO;
    final UserDirectory portal = token -> {
        asked.add(token);
        return answer;
    };
    final CaffeineUserDirectory directory = new CaffeineUserDirectory(portal, Duration.ofSeconds(60), 1_000, clock);

    @Test
    void asks_the_portal_once_for_a_token_seen_seconds_ago() {
        assertThat(directory.lookUp("token-1")).isEqualTo(DEMO);
        clock.advance(Duration.ofSeconds(59));
        assertThat(directory.lookUp("token-1")).isEqualTo(DEMO);

        assertThat(asked).containsExactly("token-1");
    }

    @Test
    void asks_again_once_the_time_to_live_has_passed_so_a_revoked_token_is_noticed() {
        directory.lookUp("token-1");
        clock.advance(Duration.ofSeconds(61));
        answer = new UserLookup.TokenRefused();

        assertThat(directory.lookUp("token-1")).isEqualTo(new UserLookup.TokenRefused());
        assertThat(asked).containsExactly("token-1", "token-1");
    }

    @Test
    void never_remembers_a_refusal_or_a_failure() {
        answer = new UserLookup.Failed(Rejection.PORTAL_TIMEOUT, "slow");
        directory.lookUp("token-1");
        answer = new UserLookup.TokenRefused();
        directory.lookUp("token-1");
        answer = DEMO;

        assertThat(directory.lookUp("token-1")).isEqualTo(DEMO);
        assertThat(asked).hasSize(3);
    }

    @Test
    void keeps_tokens_apart() {
        directory.lookUp("token-1");
        directory.lookUp("token-2");

        assertThat(asked).containsExactly("token-1", "token-2");
    }
}
