package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.loginClaims;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.VerificationResult;

/**
 * RFC 9068 §4 where the app requires it: the portal's keys behind {@link RequiredTokenType}, registered as the app
 * registers them, so that the session cookie's check (micronaut-security-jwt's validator) holds to it as well.
 */
@MicronautTest(startApplication = false)
@Property(name = "spec.name", value = "RequiredTokenTypeTest")
class RequiredTokenTypeTest {

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

    @ParameterizedTest
    @ValueSource(strings = {"at+jwt", "AT+JWT", "At+Jwt", "application/at+jwt", "Application/AT+JWT"})
    void an_access_token_typed_at_jwt_in_any_case_with_or_without_its_media_type_prefix_is_accepted(String typ) {
        String token = typed(typ, loginClaims().build());

        assertThat(verifier.verify(new AccessToken(token))).isInstanceOf(VerificationResult.Verified.class);
        assertThat(validator.validate(token, null)).as("the session cookie's check").isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "at+jwt2", "application/jwt", "x-at+jwt", "application/at+jwt; x=1", ""})
    void a_token_of_another_type_is_refused_by_the_token_type_check_at_sign_in_and_with_the_session_cookie(
            String typ) {
        String token = typed(typ, loginClaims().build());

        assertThat(verifier.verify(new AccessToken(token))).isEqualTo(
                new VerificationResult.Refused(TokenCheck.TOKEN_TYPE));
        assertThat(validator.validate(token, null)).as("the session cookie's check").isEmpty();
    }

    @Test
    void a_token_without_a_type_is_refused_by_the_token_type_check() {
        String token = typed(null, loginClaims().build());

        assertThat(verifier.verify(new AccessToken(token))).isEqualTo(
                new VerificationResult.Refused(TokenCheck.TOKEN_TYPE));
        assertThat(validator.validate(token, null)).isEmpty();
    }

    @Test
    void a_token_refused_for_its_type_is_logged_with_the_check_the_type_it_has_and_the_one_expected() {
        JWTClaimsSet claims = loginClaims().build();
        String token = typed("JWT", claims);

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            verifier.verify(new AccessToken(token));
            lines = logs.lines();
        }

        assertThat(lines).containsExactly("Token refused by the token type check: alg=RS256 kid=portal-2024 typ=JWT "
                + "iss=" + PortalKeys.ISSUER + " sub=" + claims.getSubject() + " aud=[" + PortalKeys.AUDIENCE
                + "] azp=none exp=" + claims.getExpirationTime().toInstant() + " nbf=none (expected typ at+jwt)");
        assertThat(String.join("\n", lines)).doesNotContain(token.split("\\.")[1])
                .doesNotContain(token.split("\\.")[2]);
    }

    @Test
    void the_keys_alone_still_verify_a_token_of_another_type_as_an_id_token_is() throws ParseException {
        SignedJWT idTokenLike = SignedJWT.parse(typed("JWT", loginClaims().build()));

        assertThat(((RequiredTokenType) signature).judge(idTokenLike)).isEqualTo(SignatureVerdict.TOKEN_TYPE);
        assertThat(((JudgedSignature) ((RequiredTokenType) signature).keys()).judge(idTokenLike))
                .isEqualTo(SignatureVerdict.VERIFIED);
    }

    private static String typed(String typ, JWTClaimsSet claims) {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(PORTAL.getKeyID());
        if (typ != null) {
            header.type(new JOSEObjectType(typ));
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(new RSASSASigner(PORTAL));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The portal's key behind the type rule, and the claims checks, as the app registers them with the rule on. */
    @Requires(property = "spec.name", value = "RequiredTokenTypeTest")
    @Factory
    static class TypedPortalSignature {

        @Singleton
        SignatureConfiguration portalSignature() {
            return new RequiredTokenType(NimbusRs256Signature.fromPem(PortalKeys.pem(PortalKeys.PORTAL)));
        }

        @Singleton
        GenericJwtClaimsValidator<HttpRequest<?>> portalTokenClaims() {
            return new PortalTokenClaims(PortalKeys.ISSUER);
        }

        @Singleton
        GenericJwtClaimsValidator<HttpRequest<?>> issuedToThisClient() {
            return new IssuedToThisClient(PortalKeys.AUDIENCE);
        }
    }
}
