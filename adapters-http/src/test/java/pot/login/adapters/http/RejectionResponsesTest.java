package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pot.login.adapters.http.RejectionResponses.Remedy;
import pot.login.domain.Rejection;

/** Every code's page says whether trying again can help, or only its operator can; with its code and its status. */
class RejectionResponsesTest {

    /** As docs/errors.md lists them. */
    static final Map<Rejection, Remedy> REMEDIES = Map.ofEntries(
            Map.entry(Rejection.STATE_INVALID, Remedy.START_AGAIN),
            Map.entry(Rejection.STATE_EXPIRED, Remedy.START_AGAIN),
            Map.entry(Rejection.STATE_FROM_FUTURE, Remedy.TELL_THE_OPERATOR),
            Map.entry(Rejection.STATE_NOT_BOUND, Remedy.START_AGAIN),
            Map.entry(Rejection.STATE_REPLAYED, Remedy.START_AGAIN),
            Map.entry(Rejection.ISSUER_MISMATCH, Remedy.TELL_THE_OPERATOR),
            Map.entry(Rejection.LOGIN_CANCELLED, Remedy.START_AGAIN),
            Map.entry(Rejection.LOGIN_FAILED, Remedy.START_AGAIN),
            Map.entry(Rejection.CODE_MISSING, Remedy.START_AGAIN),
            Map.entry(Rejection.CODE_REJECTED, Remedy.START_AGAIN),
            Map.entry(Rejection.CLIENT_REJECTED, Remedy.TELL_THE_OPERATOR),
            Map.entry(Rejection.PORTAL_UNAVAILABLE, Remedy.TRY_AGAIN_LATER),
            Map.entry(Rejection.PORTAL_TIMEOUT, Remedy.TRY_AGAIN_LATER),
            Map.entry(Rejection.PORTAL_BAD_RESPONSE, Remedy.TELL_THE_OPERATOR),
            Map.entry(Rejection.STORE_UNAVAILABLE, Remedy.TRY_AGAIN_LATER));

    /** Unchanged by the remedy: the status depends on the cause alone. */
    static final Map<Rejection, Integer> STATUSES = Map.ofEntries(
            Map.entry(Rejection.STATE_INVALID, 400), Map.entry(Rejection.STATE_EXPIRED, 400),
            Map.entry(Rejection.STATE_FROM_FUTURE, 400), Map.entry(Rejection.STATE_NOT_BOUND, 400),
            Map.entry(Rejection.STATE_REPLAYED, 400), Map.entry(Rejection.ISSUER_MISMATCH, 400),
            Map.entry(Rejection.LOGIN_CANCELLED, 400), Map.entry(Rejection.LOGIN_FAILED, 400),
            Map.entry(Rejection.CODE_MISSING, 400), Map.entry(Rejection.CODE_REJECTED, 400),
            Map.entry(Rejection.CLIENT_REJECTED, 502), Map.entry(Rejection.PORTAL_UNAVAILABLE, 502),
            Map.entry(Rejection.PORTAL_TIMEOUT, 504), Map.entry(Rejection.PORTAL_BAD_RESPONSE, 502),
            Map.entry(Rejection.STORE_UNAVAILABLE, 503));

    @Test
    void this_test_names_the_remedy_and_status_of_every_code() {
        assertThat(REMEDIES.keySet()).isEqualTo(EnumSet.allOf(Rejection.class));
        assertThat(STATUSES.keySet()).isEqualTo(EnumSet.allOf(Rejection.class));
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void each_codes_html_page_says_whether_to_start_again_try_later_or_tell_the_operator_and_names_the_code(
            Rejection reason) {
        MutableHttpResponse<?> page = RejectionResponses.respond(
                HttpRequest.GET("/login/complete").accept(MediaType.TEXT_HTML_TYPE), reason);

        String body = page.getBody(String.class).orElseThrow();
        assertThat(RejectionResponses.remedy(reason)).isEqualTo(REMEDIES.get(reason));
        assertThat(body).contains(Html.escape(REMEDIES.get(reason).sentence))
                .contains("Error code: <code>" + reason.code() + "</code>");
        for (Remedy other : EnumSet.complementOf(EnumSet.of(REMEDIES.get(reason)))) {
            assertThat(body).doesNotContain(Html.escape(other.sentence));
        }
        assertThat(page.code()).isEqualTo(STATUSES.get(reason));
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void each_codes_problem_json_carries_the_same_remedy_and_code(Rejection reason) {
        MutableHttpResponse<?> problem = RejectionResponses.respond(
                HttpRequest.GET("/me").accept(MediaType.APPLICATION_JSON_TYPE), reason);

        Problem body = problem.getBody(Problem.class).orElseThrow();
        assertThat(body.code()).isEqualTo(reason.code());
        assertThat(body.detail()).endsWith(REMEDIES.get(reason).sentence);
        assertThat(problem.code()).isEqualTo(STATUSES.get(reason));
    }

    @Test
    void the_operators_page_is_not_told_to_try_again() {
        // "Try again" on a page that will look the same next time sends every user round in circles.
        for (Rejection reason : Rejection.values()) {
            if (RejectionResponses.remedy(reason) == Remedy.TELL_THE_OPERATOR) {
                assertThat(RejectionResponses.detail(reason)).as(reason.code())
                        .doesNotContainIgnoringCase("try again").doesNotContainIgnoringCase("start again");
            }
        }
    }
}
