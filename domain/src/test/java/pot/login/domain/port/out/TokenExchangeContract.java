package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;
import pot.login.domain.AuthorizationCode;
import pot.login.domain.CodeVerifier;

/**
 * What every {@link TokenExchange} adapter must do. An adapter's test extends this class and makes an exchange whose
 * portal answers in each of the ways below (a small fake portal server, for an HTTP adapter).
 */
public abstract class TokenExchangeContract {

    protected static final AuthorizationCode CODE = new AuthorizationCode("contract-code-single-use");
    protected static final CodeVerifier VERIFIER = new CodeVerifier("contract-verifier-" + "v".repeat(32));

    /** How the portal behind an exchange answers a token request. */
    protected enum Portal {
        /** Issues {@link #issuedToken()} for {@link #issuedLifetime()}. */
        ISSUES_A_TOKEN,
        /** RFC 6749 {@code invalid_grant}: the code is unknown, used or expired. */
        REFUSES_THE_CODE,
        /** RFC 6749 {@code invalid_client}: our credentials are wrong. */
        REFUSES_THE_CLIENT,
        /** A server error (5xx). */
        FAILS,
        /** A 200 whose body is not a token response. */
        ANSWERS_GARBAGE,
        /** Answers later than the exchange waits. */
        IS_SLOW,
        /** Nothing listens where the portal should be. */
        IS_UNREACHABLE
    }

    protected abstract TokenExchange exchangeWith(Portal portal);

    /** The token {@link Portal#ISSUES_A_TOKEN} issues. */
    protected abstract AccessToken issuedToken();

    /** The lifetime ({@code expires_in}) {@link Portal#ISSUES_A_TOKEN} gives it. */
    protected abstract Duration issuedLifetime();

    private ExchangeResult exchange(Portal portal) {
        return exchangeWith(portal).exchange(CODE, Optional.of(VERIFIER));
    }

    private ExchangeResult.Failed failed(Portal portal) {
        ExchangeResult result = exchange(portal);
        assertThat(result).as(portal.name()).isInstanceOf(ExchangeResult.Failed.class);
        ExchangeResult.Failed failed = (ExchangeResult.Failed) result;
        assertThat(failed.detail()).as("the detail of a failure").doesNotContain(CODE.value(), VERIFIER.value());
        return failed;
    }

    @Test
    void an_accepted_code_is_issued_with_the_portals_token_and_lifetime() {
        assertThat(exchange(Portal.ISSUES_A_TOKEN)).isEqualTo(new ExchangeResult.Issued(issuedToken(), issuedLifetime()));
    }

    @Test
    void an_unknown_code_is_failed_with_code_rejected() {
        assertThat(failed(Portal.REFUSES_THE_CODE).reason()).isEqualTo(ExchangeFailure.CODE_REJECTED);
    }

    @Test
    void refused_client_credentials_are_failed_with_client_rejected() {
        assertThat(failed(Portal.REFUSES_THE_CLIENT).reason()).isEqualTo(ExchangeFailure.CLIENT_REJECTED);
    }

    @Test
    void a_failing_portal_is_failed_with_portal_unavailable() {
        assertThat(failed(Portal.FAILS).reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
    }

    @Test
    void an_unreachable_portal_is_failed_with_portal_unavailable_and_never_an_exception() {
        assertThat(failed(Portal.IS_UNREACHABLE).reason()).isEqualTo(ExchangeFailure.PORTAL_UNAVAILABLE);
    }

    @Test
    void a_slow_portal_is_failed_with_portal_timeout() {
        assertThat(failed(Portal.IS_SLOW).reason()).isEqualTo(ExchangeFailure.PORTAL_TIMEOUT);
    }

    @Test
    void an_answer_that_is_not_a_token_response_is_failed_with_portal_bad_response() {
        assertThat(failed(Portal.ANSWERS_GARBAGE).reason()).isEqualTo(ExchangeFailure.PORTAL_BAD_RESPONSE);
    }
}
