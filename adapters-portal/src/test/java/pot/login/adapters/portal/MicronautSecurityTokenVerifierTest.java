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
import pot.login.domain.port.out.TokenCheck;
import pot.login.domain.port.out.VerificationResult;
import pot.login.domain.port.out.VerifiedToken;

/** Against micronaut-security-jwt's own validator, configured as the app configures it. */
@MicronautTest(startApplication = false)
@Property(name = "spec.name", value = "MicronautSecurityTokenVerifierTest")
@Property(name = "micronaut.security.token.jwt.claims-validators.not-before", value = "true")
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
        assertThat(verify(rs256(PORTAL, loginClaims().audience("another-client").build()).serialize())).isEqualTo(
                new VerificationResult.Refused(TokenCheck.AUDIENCE));
    }

    @Test
    void refuses_a_token_whose_azp_is_another_client_although_its_aud_is_ours() {
        String token = rs256(PORTAL, loginClaims().audience(PortalKeys.AUDIENCE).claim("azp", "another-client")
                .build()).serialize();

        assertThat(verify(token)).isEqualTo(new VerificationResult.Refused(TokenCheck.AUTHORIZED_PARTY));
        assertThat(validator.validate(token, null)).as("the session cookie's check").isEmpty();
    }

    @Test
    void verifies_a_token_whose_azp_is_ours_and_whose_aud_is_a_resource() {
        String token = rs256(PORTAL, loginClaims().audience("account").claim("azp", PortalKeys.AUDIENCE).build())
                .serialize();

        assertThat(verify(token)).isInstanceOf(VerificationResult.Verified.class);
        assertThat(validator.validate(token, null)).as("the session cookie's check").isPresent();
    }

    @Test
    void a_token_refused_for_its_azp_is_logged_with_the_check_its_safe_claims_and_our_client_but_not_itself() {
        JWTClaimsSet claims = loginClaims().audience(List.of("account", "api")).claim("azp", "another-client").build();
        SignedJWT jwt = rs256(PORTAL, claims);
        String token = jwt.serialize();

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            verify(token);
            lines = logs.lines();
        }

        assertThat(lines).containsExactly("Token refused by the authorized party check: alg=RS256 kid=portal-2024 typ=JWT iss="
                + PortalKeys.ISSUER + " sub=" + claims.getSubject() + " aud=[account, api] azp=another-client exp="
                + claims.getExpirationTime().toInstant() + " nbf=none (expected client " + PortalKeys.AUDIENCE + ")");
        assertThat(String.join("\n", lines)).doesNotContain(token).doesNotContain(jwt.getSignature().toString())
                .doesNotContain(token.split("\\.")[1]);
    }

    @Test
    void a_token_refused_for_its_issuer_or_expiry_or_nbf_is_logged_with_that_check_and_the_claim_at_fault() {
        Instant anHourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            verify(rs256(PORTAL, loginClaims().issuer("https://evil.example").build()).serialize());
            verify(rs256(PORTAL, loginClaims().expirationTime(Date.from(anHourAgo)).build()).serialize());
            verify(rs256(PORTAL, loginClaims().notBeforeTime(Date.from(inAnHour)).build()).serialize());
            verify(rs256(PortalKeys.STRANGER, loginClaims().build()).serialize());
            verify(rs256(PORTAL, loginClaims().audience("another-client").build()).serialize());
            lines = logs.lines();
        }

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("Token refused by the issuer check: ")
                .contains(" iss=https://evil.example ").endsWith("(expected issuer " + PortalKeys.ISSUER + ")");
        assertThat(lines.get(1)).startsWith("Token refused by the expiry check: ").contains(" exp=" + anHourAgo);
        assertThat(lines.get(2)).startsWith("Token refused by the not yet valid check: ").contains(" nbf=" + inAnHour);
        assertThat(lines.get(3)).startsWith("Token refused by the signature check: ").contains(" kid=portal-2024 ");
        assertThat(lines.get(4)).startsWith("Token refused by the audience check: ")
                .contains(" aud=[another-client] azp=none ").endsWith("(expected client " + PortalKeys.AUDIENCE + ")");
    }

    @Test
    void a_forged_token_cannot_write_lines_of_its_own_into_the_log() {
        String forged = rs256(PortalKeys.STRANGER, loginClaims()
                .claim("azp", "x\nINFO Token accepted for admin\r\u2028").issuer("i".repeat(500)).build()).serialize();

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            verify(forged);
            lines = logs.lines();
        }

        assertThat(lines).singleElement().asString().doesNotContain("\n").doesNotContain("\r").doesNotContain("\u2028")
                .contains("azp=x?INFO Token accepted for admin??").contains("iss=" + "i".repeat(120) + "…")
                .doesNotContain("i".repeat(121));
    }

    @Test
    void a_forged_token_cannot_disguise_its_log_line_nor_make_it_endless() {
        java.util.List<String> audiences = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            audiences.add("a".repeat(200));
        }
        String forged = rs256(PortalKeys.STRANGER, loginClaims().issuer("https://evil\u202egnp.exe\u200b\u2066x")
                .audience(audiences).build()).serialize();

        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            verify(forged);
            lines = logs.lines();
        }

        // Bidi overrides and zero-width characters shown as '?', five audiences at most and the count of the rest.
        assertThat(lines).singleElement().asString().contains("iss=https://evil?gnp.exe??x")
                .contains("(1995 more)").hasSizeLessThan(2000);
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
