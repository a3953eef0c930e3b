package pot.login.adapters.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.MovableClock;
import pot.login.domain.Rejection;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserDirectoryContract;
import pot.login.domain.port.out.UserProfile;

class CaffeineUserDirectoryTest extends UserDirectoryContract {

    static final LookupResult.Found DEMO = new LookupResult.Found(new UserProfile("demo", "Demo", "User", "d@example.com"));

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-28T10:00:00Z"));
    final List<String> asked = new ArrayList<>();
    LookupResult answer = DEMO;
    final UserDirectory portal = (token, subject) -> {
        asked.add(token.value());
        return answer;
    };
    final CaffeineUserDirectory directory = new CaffeineUserDirectory(portal, Duration.ofSeconds(60), 1_000, clock);

    /** The cache in front of a directory that answers as the portal would: what it says must come through as said. */
    @Override
    protected UserDirectory directoryWith(Portal behaviour) {
        answer = switch (behaviour) {
            case KNOWS_THE_USER -> DEMO;
            case REFUSES_THE_TOKEN -> new LookupResult.TokenRefused();
            case FAILS, IS_UNREACHABLE -> new LookupResult.Failed(Rejection.PORTAL_UNAVAILABLE, "status 503");
            case ANSWERS_GARBAGE -> new LookupResult.Failed(Rejection.PORTAL_BAD_RESPONSE, "unreadable user document");
            case ANSWERS_FOR_ANOTHER_SUBJECT ->
                    new LookupResult.Failed(Rejection.PORTAL_BAD_RESPONSE, "user document for another subject");
            case IS_SLOW -> new LookupResult.Failed(Rejection.PORTAL_TIMEOUT, "no answer within the read timeout");
        };
        return directory;
    }

    @Override
    protected AccessToken token() {
        return new AccessToken("token-1");
    }

    @Override
    protected UserProfile knownUser() {
        return DEMO.profile();
    }

    @Test
    void asks_the_portal_once_for_a_token_seen_seconds_ago() {
        assertThat(directory.lookUp(new AccessToken("token-1"), "demo")).isEqualTo(DEMO);
        clock.advance(Duration.ofSeconds(59));
        assertThat(directory.lookUp(new AccessToken("token-1"), "demo")).isEqualTo(DEMO);

        assertThat(asked).containsExactly("token-1");
    }

    @Test
    void asks_again_once_the_time_to_live_has_passed_so_a_revoked_token_is_noticed() {
        directory.lookUp(new AccessToken("token-1"), "demo");
        clock.advance(Duration.ofSeconds(61));
        answer = new LookupResult.TokenRefused();

        assertThat(directory.lookUp(new AccessToken("token-1"), "demo")).isEqualTo(new LookupResult.TokenRefused());
        assertThat(asked).containsExactly("token-1", "token-1");
    }

    @Test
    void never_remembers_a_refusal_or_a_failure() {
        answer = new LookupResult.Failed(Rejection.PORTAL_TIMEOUT, "slow");
        directory.lookUp(new AccessToken("token-1"), "demo");
        answer = new LookupResult.TokenRefused();
        directory.lookUp(new AccessToken("token-1"), "demo");
        answer = DEMO;

        assertThat(directory.lookUp(new AccessToken("token-1"), "demo")).isEqualTo(DEMO);
        assertThat(asked).hasSize(3);
    }

    @Test
    void keeps_tokens_apart() {
        directory.lookUp(new AccessToken("token-1"), "demo");
        directory.lookUp(new AccessToken("token-2"), "demo");

        assertThat(asked).containsExactly("token-1", "token-2");
    }
}
