package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.loginClaims;
import static pot.login.adapters.portal.PortalKeys.rs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/** Against micronaut-security-jwt's own validator, configured as the app configures it. */
@MicronautTest(startApplication = false)
@Property(name = "spec.name", value = "MicronautSecurityTokenVerifierTest")
@Property(name = "micronaut.security.token.jwt.claims-validators.audience", value = PortalKeys.AUDIENCE)
class MicronautSecurityTokenVerifierTest {

    @Inject
    JsonWebTokenValidator<JWT, HttpRequest<?>> validator;
    @Inject
    SignatureConfiguration signature;
    @Inject
    List<GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators;

    private MicronautSecurityTokenVerifier verifier;

    @BeforeEach
    void verifier() {
        verifier = new MicronautSecurityTokenVerifier(validator, signature, claimsValidators);
    }

    @Test
    void verifies_a_portal_token_for_us_and_returns_its_subject_and_expiry() {
        JWTClaimsSet claims = loginClaims().build();

        assertThat(verify(rs256(PORTAL, claims).serialize())).isEqualTo(new VerificationResult.Verified(
                new VerifiedToken(claims.getSubject(), claims.getExpirationTime().toInstant())));
    }

    @Test
    void refuses_a_token_for_another_client() {
        assertThat(verify(rs256(PORTAL, loginClaims().audience("another-client").build()).serialize())).isInstanceOf(
                VerificationResult.Refused.class);
    }

    @Test
    void refuses_a_token_from_another_issuer() {
        assertThat(verify(rs256(PORTAL, loginClaims().issuer("https://evil.example").build()).serialize())).isInstanceOf(
                VerificationResult.Refused.class);
    }

    @Test
    void refuses_a_token_whose_issuer_merely_starts_or_ends_with_ours() {
        for (String issuer : new String[] {PortalKeys.ISSUER + "/evil", "https://evil.example/" + PortalKeys.ISSUER,
                "portal.example.test", "http://portal.example.test/"}) {
            assertThat(verify(rs256(PORTAL, loginClaims().issuer(issuer).build()).serialize())).as(issuer)
                    .isInstanceOf(VerificationResult.Refused.class);
        }
    }

    @Test
    void refuses_a_token_without_an_issuer() {
        assertThat(verify(rs256(PORTAL, loginClaims().issuer(null).build()).serialize())).isInstanceOf(VerificationResult.Refused.class);
    }

    @Test
    void refuses_an_expired_token() {
        Date anHourAgo = Date.from(Instant.now().minus(1, ChronoUnit.HOURS));

        assertThat(verify(rs256(PORTAL, loginClaims().expirationTime(anHourAgo).build()).serialize())).isInstanceOf(
                VerificationResult.Refused.class);
    }

    @Test
    void refuses_a_token_without_an_expiry_in_the_claims_check_and_again_in_the_verifier_itself() {
        String endless = rs256(PORTAL, loginClaims().expirationTime(null).build()).serialize();

        // micronaut-security-jwt's expiry validator lets a token without exp pass; PortalTokenClaims does not.
        assertThat(validator.validate(endless, null)).as("the session cookie's check").isEmpty();
        assertThat(verify(endless)).isInstanceOf(VerificationResult.Refused.class);
        MicronautSecurityTokenVerifier behindAValidatorThatAcceptsAnyJwt = new MicronautSecurityTokenVerifier(
                (token, request) -> parsed(token), signature, claimsValidators);
        assertThat(behindAValidatorThatAcceptsAnyJwt.verify(new AccessToken(endless))).isInstanceOf(VerificationResult.Refused.class);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void refuses_a_token_without_a_subject(String subject) {
        assertThat(verify(rs256(PORTAL, loginClaims().subject(subject).build()).serialize())).isInstanceOf(VerificationResult.Refused.class);
    }

    @Test
    void refuses_a_token_signed_by_another_key() {
        assertThat(verify(rs256(PortalKeys.STRANGER, loginClaims().build()).serialize())).isInstanceOf(VerificationResult.Refused.class);
    }

    @Test
    void refuses_an_rs512_token_signed_with_the_portal_key() {
        assertThat(verify(PortalKeys.signed(PORTAL, JWSAlgorithm.RS512, loginClaims().build()).serialize())).isInstanceOf(
                VerificationResult.Refused.class);
    }

    @Test
    void refuses_an_hs256_token_keyed_with_the_portal_public_key() throws Exception {
        MACSigner confused = new MACSigner(PORTAL.toRSAPublicKey().getEncoded());

        assertThat(verify(PortalKeys.signed(confused, PORTAL.getKeyID(), JWSAlgorithm.HS256,
                loginClaims().build()).serialize())).isInstanceOf(VerificationResult.Refused.class);
    }

    @Test
    void refuses_an_unsigned_token() {
        assertThat(verify(new PlainJWT(loginClaims().build()).serialize())).isInstanceOf(VerificationResult.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"})
    void refuses_what_is_not_a_token(String token) {
        assertThat(verify(token)).isInstanceOf(VerificationResult.Refused.class);
    }

    private VerificationResult verify(String token) {
        return verifier.verify(new AccessToken(token));
    }

    private static Optional<JWT> parsed(String token) {
        try {
            return Optional.of(SignedJWT.parse(token));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
