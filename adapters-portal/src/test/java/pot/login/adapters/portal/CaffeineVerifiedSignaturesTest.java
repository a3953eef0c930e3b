package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.STRANGER;
import static pot.login.adapters.portal.PortalKeys.loginClaims;
import static pot.login.adapters.portal.PortalKeys.rs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import pot.login.domain.MovableClock;

class CaffeineVerifiedSignaturesTest {

    static final Duration TTL = Duration.ofMinutes(5);

    final MovableClock clock = new MovableClock(Instant.parse("2026-11-29T12:00:00Z"));
    final CountingSignature portal = new CountingSignature(NimbusRs256Signature.fromPem(PortalKeys.pem(PORTAL)));
    final CaffeineVerifiedSignatures signatures = new CaffeineVerifiedSignatures(portal, TTL, 1000, clock);

    @Test
    void verifies_a_token_once_and_then_remembers_that_it_verified() throws Exception {
        String token = rs256(PORTAL, loginClaims().build()).serialize();

        for (int i = 0; i < 3; i++) {
            assertThat(signatures.verify(SignedJWT.parse(token))).isTrue();
        }

        assertThat(portal.calls).hasValue(1);
    }

    @Test
    void never_remembers_a_refusal() throws Exception {
        String forged = rs256(STRANGER, loginClaims().build()).serialize();

        assertThat(signatures.verify(SignedJWT.parse(forged))).isFalse();
        assertThat(signatures.verify(SignedJWT.parse(forged))).isFalse();

        assertThat(portal.calls).hasValue(2);
    }

    @Test
    void verifies_afresh_a_token_whose_claims_were_changed_after_a_genuine_one_verified() throws Exception {
        String genuine = rs256(PORTAL, loginClaims().build()).serialize();
        assertThat(signatures.verify(SignedJWT.parse(genuine))).isTrue();
        String[] parts = genuine.split("\\.");
        String otherClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                loginClaims().subject("someone-else").build().toString().getBytes(StandardCharsets.UTF_8));

        // Same header, same signature, other claims: the remembered signature does not cover them.
        assertThat(signatures.verify(SignedJWT.parse(parts[0] + "." + otherClaims + "." + parts[2]))).isFalse();
        assertThat(portal.calls).hasValue(2);
    }

    @Test
    void verifies_again_once_the_ttl_has_passed() throws Exception {
        String token = rs256(PORTAL, loginClaims().build()).serialize();
        assertThat(signatures.verify(SignedJWT.parse(token))).isTrue();

        clock.advance(TTL.plusSeconds(1));

        assertThat(signatures.verify(SignedJWT.parse(token))).isTrue();
        assertThat(portal.calls).hasValue(2);
    }

    @Test
    void supports_what_the_real_signature_supports() {
        assertThat(signatures.supports(JWSAlgorithm.RS256)).isTrue();
        assertThat(signatures.supports(JWSAlgorithm.HS256)).isFalse();
        assertThat(signatures.supportedAlgorithmsMessage()).isEqualTo(portal.supportedAlgorithmsMessage());
    }

    @Test
    void refuses_a_ttl_or_size_that_is_not_positive() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> new CaffeineVerifiedSignatures(portal, Duration.ZERO, 1000, clock));
        assertThatIllegalArgumentException().isThrownBy(
                () -> new CaffeineVerifiedSignatures(portal, TTL, 0, clock));
    }

    /** The real RS256 check, counted. */
    static final class CountingSignature implements SignatureConfiguration {
        final SignatureConfiguration real;
        final AtomicInteger calls = new AtomicInteger();

        CountingSignature(SignatureConfiguration real) {
            this.real = real;
        }

        @Override
        public String supportedAlgorithmsMessage() {
            return real.supportedAlgorithmsMessage();
        }

        @Override
        public boolean supports(JWSAlgorithm algorithm) {
            return real.supports(algorithm);
        }

        @Override
        public boolean verify(SignedJWT jwt) throws com.nimbusds.jose.JOSEException {
            calls.incrementAndGet();
            return real.verify(jwt);
        }
    }
}
