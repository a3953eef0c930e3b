package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.Rejection;

/**
 * What every {@link UserDirectory} adapter must do. An adapter's test extends this class and makes a directory whose
 * portal answers in each of the ways below (a small fake portal server, for an HTTP adapter; a stub directory behind
 * a cache in front of one).
 */
public abstract class UserDirectoryContract {

    /** How the portal behind a directory answers a lookup with {@link #token()}. */
    protected enum Portal {
        /** Knows the token's user: {@link #knownUser()}. */
        KNOWS_THE_USER,
        /** No longer accepts the token (401 or 403). */
        REFUSES_THE_TOKEN,
        /** A server error (5xx). */
        FAILS,
        /** A 200 whose body is not a person. */
        ANSWERS_GARBAGE,
        /** A 200 with a well-formed person who is not the token's subject (a token substitution). */
        ANSWERS_FOR_ANOTHER_SUBJECT,
        /** Answers later than the lookup waits. */
        IS_SLOW,
        /** Nothing listens where the portal should be. */
        IS_UNREACHABLE
    }

    protected abstract UserDirectory directoryWith(Portal portal);

    /** The token every case looks up. */
    protected abstract AccessToken token();

    /** The user {@link Portal#KNOWS_THE_USER} answers with; its id is the token's subject. */
    protected abstract UserProfile knownUser();

    /** The verified {@code sub} of {@link #token()}, as the flow passes it. */
    private String subject() {
        return knownUser().id();
    }

    private Rejection failure(Portal portal) {
        LookupResult result = directoryWith(portal).lookUp(token(), subject());
        assertThat(result).as(portal.name()).isInstanceOf(LookupResult.Failed.class);
        LookupResult.Failed failed = (LookupResult.Failed) result;
        assertThat(failed.detail()).as("the detail of a failure").doesNotContain(token().value());
        return failed.reason();
    }

    @Test
    void a_known_token_is_found_with_the_portals_profile() {
        assertThat(directoryWith(Portal.KNOWS_THE_USER).lookUp(token(), subject()))
                .isEqualTo(new LookupResult.Found(knownUser()));
    }

    @Test
    void a_token_the_portal_refuses_is_token_refused() {
        assertThat(directoryWith(Portal.REFUSES_THE_TOKEN).lookUp(token(), subject()))
                .isEqualTo(new LookupResult.TokenRefused());
    }

    @Test
    void a_failing_portal_is_failed_with_portal_unavailable() {
        assertThat(failure(Portal.FAILS)).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
    }

    @Test
    void an_unreachable_portal_is_failed_with_portal_unavailable_and_never_an_exception() {
        assertThat(failure(Portal.IS_UNREACHABLE)).isEqualTo(Rejection.PORTAL_UNAVAILABLE);
    }

    @Test
    void a_slow_portal_is_failed_with_portal_timeout() {
        assertThat(failure(Portal.IS_SLOW)).isEqualTo(Rejection.PORTAL_TIMEOUT);
    }

    @Test
    void an_answer_that_is_not_a_person_is_failed_with_portal_bad_response() {
        assertThat(failure(Portal.ANSWERS_GARBAGE)).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }

    /** OIDC Core §5.3.2: whoever the answer describes, a session is only ever shown as its own token's subject. */
    @Test
    void a_profile_for_another_subject_than_the_tokens_is_failed_with_portal_bad_response() {
        assertThat(failure(Portal.ANSWERS_FOR_ANOTHER_SUBJECT)).isEqualTo(Rejection.PORTAL_BAD_RESPONSE);
    }
}
