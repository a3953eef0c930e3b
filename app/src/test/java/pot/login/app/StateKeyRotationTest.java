package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.state.StateCheck;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/** Rotation as an operator configures it: a new signing key, the old one marked retired (docs/configuration.md). */
class StateKeyRotationTest {

    static final String OLD_SECRET = "old-state-key-0123456789abcdef0123456789";
    static final String NEW_SECRET = "new-state-key-0123456789abcdef0123456789";

    @Test
    void after_rotation_the_new_key_signs_and_the_retired_key_verifies_only_what_it_signed_before() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant retiredAt = now.minus(Duration.ofMinutes(1));
        Map<String, Object> settings = Map.of(
                "pot-login.state.signing-key-id", "k2",
                "pot-login.state.keys.k1", OLD_SECRET,
                "pot-login.state.keys.k2", NEW_SECRET,
                "pot-login.state.retired.k1", retiredAt.toString(),
                "micronaut.server.port", -1);
        StateSigner oldSigner = new StateSigner(new StateKeys(List.of(new StateKey("k1", Secret.of("k1", OLD_SECRET)))),
                Duration.ofMinutes(10), Duration.ofSeconds(30));

        try (ApplicationContext context = ApplicationContext.run(settings)) {
            StateSigner signer = context.getBean(StateSigner.class);

            assertThat(signer.sign(claims(now))).startsWith("k2.");
            assertThat(signer.verify(oldSigner.sign(claims(retiredAt.minusSeconds(30))), now))
                    .isInstanceOf(StateCheck.Valid.class);
            assertThat(signer.verify(oldSigner.sign(claims(now)), now))
                    .isEqualTo(new StateCheck.Refused(Rejection.STATE_INVALID));
        }
    }

    private static StateClaims claims(Instant issuedAt) {
        return new StateClaims(issuedAt, new byte[StateClaims.NONCE_BYTES], new byte[StateClaims.BINDING_BYTES],
                ReturnPath.HOME);
    }
}
