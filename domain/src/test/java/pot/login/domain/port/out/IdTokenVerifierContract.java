package pot.login.domain.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pot.login.domain.IdToken;

/**
 * What every {@link IdTokenVerifier} adapter must do (OIDC Core §3.1.3.7). ID tokens are the adapter's technology
 * (JWTs), so its test extends this class and mints each kind below; the contract says how each must be judged.
 */
public abstract class IdTokenVerifierContract {

    /** The ID tokens a verifier meets. All but {@link #GENUINE} differ from it in one respect only. */
    protected enum Kind {
        /** From the provider, for us alone, unexpired, issued now, with a subject and a nonce. */
        GENUINE,
        /** For us and another client, with {@code azp} = us: OIDC Core allows it. */
        FOR_US_AND_ANOTHER_CLIENT_AUTHORIZED_TO_US,
        WITHOUT_A_NONCE,
        SIGNED_BY_ANOTHER_KEY_WITH_THE_PROVIDERS_KEY_ID,
        SIGNED_BY_A_KEY_ID_THE_PROVIDER_DOES_NOT_HAVE,
        SIGNED_WITH_ANOTHER_ALGORITHM,
        UNSIGNED,
        FROM_ANOTHER_ISSUER,
        FOR_ANOTHER_CLIENT,
        FOR_US_AND_ANOTHER_CLIENT_WITHOUT_AZP,
        AUTHORIZED_TO_ANOTHER_CLIENT,
        EXPIRED,
        WITHOUT_AN_EXPIRY,
        WITHOUT_AN_ISSUE_TIME,
        ISSUED_IN_THE_FUTURE,
        WITHOUT_A_SUBJECT,
        NOT_A_TOKEN
    }

    /** A verifier that trusts the provider's keys and knows us as the client. */
    protected abstract IdTokenVerifier verifier();

    protected abstract IdToken token(Kind kind);

    /** The {@code sub}, {@code nonce} and {@code exp} of {@link Kind#GENUINE}. */
    protected abstract IdTokenResult.VerifiedIdToken claimsOfTheGenuineToken();

    /** A verifier whose provider keys cannot be loaded, or empty if the adapter has none. */
    protected abstract Optional<IdTokenVerifier> verifierWhoseKeysAreUnavailable();

    @Test
    void a_genuine_id_token_is_verified_with_its_subject_and_nonce() {
        assertThat(verifier().verify(token(Kind.GENUINE)))
                .isEqualTo(new IdTokenResult.Verified(claimsOfTheGenuineToken()));
    }

    @Test
    void an_id_token_for_several_clients_is_verified_when_its_azp_is_us() {
        assertThat(verifier().verify(token(Kind.FOR_US_AND_ANOTHER_CLIENT_AUTHORIZED_TO_US)))
                .isEqualTo(new IdTokenResult.Verified(claimsOfTheGenuineToken()));
    }

    @Test
    void an_id_token_without_a_nonce_is_verified_with_none_so_that_the_flow_refuses_it() {
        assertThat(verifier().verify(token(Kind.WITHOUT_A_NONCE))).isEqualTo(new IdTokenResult.Verified(
                new IdTokenResult.VerifiedIdToken(claimsOfTheGenuineToken().subject(), Optional.empty(),
                        claimsOfTheGenuineToken().expiresAt())));
    }

    @ParameterizedTest(name = "{0} is refused by the {1} check")
    @CsvSource({
            "SIGNED_BY_ANOTHER_KEY_WITH_THE_PROVIDERS_KEY_ID, SIGNATURE",
            "SIGNED_BY_A_KEY_ID_THE_PROVIDER_DOES_NOT_HAVE, UNKNOWN_KEY",
            "SIGNED_WITH_ANOTHER_ALGORITHM, ALGORITHM",
            "UNSIGNED, ALGORITHM",
            "FROM_ANOTHER_ISSUER, ISSUER",
            "FOR_ANOTHER_CLIENT, AUDIENCE",
            "FOR_US_AND_ANOTHER_CLIENT_WITHOUT_AZP, AUTHORIZED_PARTY",
            "AUTHORIZED_TO_ANOTHER_CLIENT, AUTHORIZED_PARTY",
            "EXPIRED, EXPIRY",
            "WITHOUT_AN_EXPIRY, EXPIRY",
            "WITHOUT_AN_ISSUE_TIME, ISSUED_AT",
            "ISSUED_IN_THE_FUTURE, ISSUED_AT",
            "WITHOUT_A_SUBJECT, SUBJECT",
            "NOT_A_TOKEN, MALFORMED"})
    void an_id_token_that_fails_one_check_is_refused_by_that_check(Kind kind, IdTokenCheck check) {
        assertThat(verifier().verify(token(kind))).isEqualTo(new IdTokenResult.Refused(check));
    }

    @Test
    void an_id_token_that_cannot_be_judged_for_want_of_keys_is_unavailable_not_refused() {
        Optional<IdTokenVerifier> keyless = verifierWhoseKeysAreUnavailable();
        assumeTrue(keyless.isPresent(), "this adapter has no keys to lose");

        assertThat(keyless.get().verify(token(Kind.GENUINE))).isInstanceOf(IdTokenResult.Unavailable.class);
    }
}
