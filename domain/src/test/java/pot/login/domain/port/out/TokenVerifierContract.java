package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pot.login.domain.AccessToken;

/**
 * What every {@link TokenVerifier} adapter must do. Tokens are the adapter's technology (JWTs, say), so its test
 * extends this class and mints each kind of token below; the contract says how each must be judged.
 */
public abstract class TokenVerifierContract {

    /** The tokens a verifier meets. All but {@link #GENUINE} differ from it in one respect only. */
    protected enum Kind {
        /** From the portal, for us, unexpired, with a subject: {@link #claimsOfTheGenuineToken()}. */
        GENUINE,
        SIGNED_BY_ANOTHER_KEY_WITH_THE_PORTALS_KEY_ID,
        SIGNED_BY_A_KEY_ID_THE_PORTAL_DOES_NOT_HAVE,
        SIGNED_WITH_ANOTHER_ALGORITHM,
        UNSIGNED,
        FROM_ANOTHER_ISSUER,
        FOR_ANOTHER_CLIENT,
        EXPIRED,
        WITHOUT_AN_EXPIRY,
        WITHOUT_A_SUBJECT,
        NOT_A_TOKEN
    }

    /** A verifier that trusts the portal's keys and knows us as the audience. */
    protected abstract TokenVerifier verifier();

    protected abstract AccessToken token(Kind kind);

    /** What {@link Kind#GENUINE} says. */
    protected abstract VerifiedToken claimsOfTheGenuineToken();

    /** A verifier whose portal keys cannot be loaded (their server is down), or empty if the adapter has none. */
    protected abstract Optional<TokenVerifier> verifierWhoseKeysAreUnavailable();

    @Test
    void a_genuine_token_is_verified_with_its_subject_and_expiry() {
        assertThat(verifier().verify(token(Kind.GENUINE)))
                .isEqualTo(new VerificationResult.Verified(claimsOfTheGenuineToken()));
    }

    @ParameterizedTest(name = "{0} is refused by the {1} check")
    @CsvSource({
            "SIGNED_BY_ANOTHER_KEY_WITH_THE_PORTALS_KEY_ID, SIGNATURE",
            "SIGNED_BY_A_KEY_ID_THE_PORTAL_DOES_NOT_HAVE, UNKNOWN_KEY",
            "SIGNED_WITH_ANOTHER_ALGORITHM, ALGORITHM",
            "UNSIGNED, ALGORITHM",
            "FROM_ANOTHER_ISSUER, ISSUER",
            "FOR_ANOTHER_CLIENT, AUDIENCE",
            "EXPIRED, EXPIRY",
            "WITHOUT_AN_EXPIRY, EXPIRY",
            "WITHOUT_A_SUBJECT, SUBJECT",
            "NOT_A_TOKEN, MALFORMED"})
    void a_token_that_fails_one_check_is_refused_by_that_check(Kind kind, TokenCheck check) {
        assertThat(verifier().verify(token(kind))).isEqualTo(new VerificationResult.Refused(check));
    }

    @Test
    void a_token_that_cannot_be_judged_for_want_of_keys_is_unavailable_not_refused() {
        Optional<TokenVerifier> keyless = verifierWhoseKeysAreUnavailable();
        assumeTrue(keyless.isPresent(), "this adapter has no keys to lose");

        assertThat(keyless.get().verify(token(Kind.GENUINE))).isInstanceOf(VerificationResult.Unavailable.class);
    }
}
