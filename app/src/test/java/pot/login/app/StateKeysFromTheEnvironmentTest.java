package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pot.login.domain.ReturnPath;
import pot.login.domain.Secret;
import pot.login.domain.state.StateClaims;
import pot.login.domain.state.StateKey;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/**
 * Key ids such as {@code demo-1} and {@code prod-2} as an operator sets them: through real environment variables of a
 * child JVM ({@link KeyRingProbe}), through {@code -D} and through YAML — the same key ring every way.
 */
class StateKeysFromTheEnvironmentTest {

    static final String DEMO_SECRET = "first-state-key-0123456789abcdef0123456789";
    static final String PROD_SECRET = "second-state-key-0123456789abcdef012345678";
    static final String NEXT_SECRET = "third-state-key-0123456789abcdef0123456789";

    @Test
    void ids_with_a_hyphen_give_the_same_key_ring_from_environment_variables_system_properties_and_yaml(
            @TempDir Path dir) throws IOException {
        Instant now = Instant.now();
        List<String> states = List.of("demo-1=" + state("demo-1", DEMO_SECRET, now),
                "prod-2=" + state("prod-2", PROD_SECRET, now));
        Path yaml = Files.writeString(dir.resolve("keys.yml"), """
                pot-login:
                  state:
                    signing-key-id: prod-2
                    keys:
                      demo-1: %s
                      prod-2: %s
                """.formatted(DEMO_SECRET, PROD_SECRET));

        ChildJvm.Result fromVariables = ChildJvm.run(KeyRingProbe.class, Map.of(
                "POT_LOGIN_STATE_SIGNING_KEY_ID", "prod-2",
                "POT_LOGIN_STATE_KEYS_DEMO_1", DEMO_SECRET,
                "POT_LOGIN_STATE_KEYS_PROD_2", PROD_SECRET), List.of(), states);
        ChildJvm.Result fromSystemProperties = ChildJvm.run(KeyRingProbe.class, Map.of(), List.of(
                "-Dpot-login.state.signing-key-id=prod-2",
                "-Dpot-login.state.keys.demo-1=" + DEMO_SECRET,
                "-Dpot-login.state.keys.prod-2=" + PROD_SECRET), states);
        ChildJvm.Result fromYaml = ChildJvm.run(KeyRingProbe.class, Map.of(),
                List.of("-Dmicronaut.config.files=" + yaml), states);

        List<String> expected = List.of("context started", "keys [demo-1, prod-2]", "signs with prod-2",
                "demo-1 valid", "prod-2 valid");
        for (ChildJvm.Result result : List.of(fromVariables, fromSystemProperties, fromYaml)) {
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(probeLines(result)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void a_retirement_set_from_an_environment_variable_takes_effect() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Duration maxAge = Duration.ofMinutes(10);
        Instant demoRetired = now.minus(maxAge).minusSeconds(60);
        Instant prodRetired = now.minusSeconds(60);

        ChildJvm.Result result = ChildJvm.run(KeyRingProbe.class, Map.of(
                        "POT_LOGIN_STATE_SIGNING_KEY_ID", "next-3",
                        "POT_LOGIN_STATE_KEYS_DEMO_1", DEMO_SECRET,
                        "POT_LOGIN_STATE_KEYS_PROD_2", PROD_SECRET,
                        "POT_LOGIN_STATE_KEYS_NEXT_3", NEXT_SECRET,
                        "POT_LOGIN_STATE_RETIRED_DEMO_1", demoRetired.toString(),
                        "POT_LOGIN_STATE_RETIRED_PROD_2", prodRetired.toString()),
                List.of(), List.of(
                        // Retired more than a max age ago: the key verifies nothing, not even a fresh state.
                        "demo-1-after-retirement-and-max-age=" + state("demo-1", DEMO_SECRET, now),
                        // Retired a minute ago: what it signed before still verifies, nothing it signed after.
                        "prod-2-before-retirement=" + state("prod-2", PROD_SECRET, prodRetired.minusSeconds(30)),
                        "prod-2-after-retirement=" + state("prod-2", PROD_SECRET, now),
                        "next-3=" + state("next-3", NEXT_SECRET, now)));

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(probeLines(result)).containsExactly(
                "context started",
                "keys [demo-1, next-3, prod-2]",
                "signs with next-3",
                "demo-1-after-retirement-and-max-age refused state_invalid",
                "prod-2-before-retirement valid",
                "prod-2-after-retirement refused state_invalid",
                "next-3 valid");
    }

    @Test
    void a_malformed_key_id_is_refused_at_start_naming_it_wherever_it_was_set() {
        ChildJvm.Result result = ChildJvm.run(KeyRingProbe.class, Map.of(
                        "POT_LOGIN_STATE_SIGNING_KEY_ID", "prod-2",
                        "POT_LOGIN_STATE_KEYS_PROD_2", PROD_SECRET,
                        "POT_LOGIN_STATE_KEYS_DEMO__1", DEMO_SECRET,
                        "POT_LOGIN_STATE_RETIRED_PROD-2", "2026-01-01T00:00:00Z"),
                List.of("-Dpot-login.state.keys.next_3=" + NEXT_SECRET), List.of());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output())
                .contains("POT_LOGIN_STATE_KEYS_DEMO__1: 'DEMO__1' does not spell a state key id: "
                        + StateKeySettings.SPELLING)
                .contains("POT_LOGIN_STATE_RETIRED_PROD-2: 'PROD-2' does not spell a state key id: "
                        + StateKeySettings.SPELLING)
                .contains("pot-login.state.keys.next_3: 'next_3' is not a state key id: " + StateKeySettings.SPELLING)
                .doesNotContain("context started", DEMO_SECRET, NEXT_SECRET);
    }

    /** As for every Micronaut setting: a system property beats an environment variable, which beats YAML. */
    @Test
    void one_key_id_set_in_several_places_takes_its_secret_from_the_system_property_then_the_environment_then_yaml(
            @TempDir Path dir) throws IOException {
        Instant now = Instant.now();
        List<String> states = List.of("yaml-secret=" + state("prod-2", DEMO_SECRET, now),
                "variable-secret=" + state("prod-2", PROD_SECRET, now),
                "property-secret=" + state("prod-2", NEXT_SECRET, now));
        Path yaml = Files.writeString(dir.resolve("keys.yml"), """
                pot-login:
                  state:
                    signing-key-id: prod-2
                    keys:
                      prod-2: %s
                """.formatted(DEMO_SECRET));
        List<String> fromYaml = List.of("-Dmicronaut.config.files=" + yaml);
        Map<String, String> variable = Map.of("POT_LOGIN_STATE_KEYS_PROD_2", PROD_SECRET);
        List<String> property = List.of("-Dmicronaut.config.files=" + yaml,
                "-Dpot-login.state.keys.prod-2=" + NEXT_SECRET);

        ChildJvm.Result yamlAndVariable = ChildJvm.run(KeyRingProbe.class, variable, fromYaml, states);
        ChildJvm.Result all = ChildJvm.run(KeyRingProbe.class, variable, property, states);

        assertThat(probeLines(yamlAndVariable)).as(yamlAndVariable.output()).containsExactly("context started",
                "keys [prod-2]", "signs with prod-2", "yaml-secret refused state_invalid", "variable-secret valid",
                "property-secret refused state_invalid");
        assertThat(probeLines(all)).as(all.output()).containsExactly("context started", "keys [prod-2]",
                "signs with prod-2", "yaml-secret refused state_invalid", "variable-secret refused state_invalid",
                "property-secret valid");
    }

    private static String state(String keyId, String secret, Instant issuedAt) {
        StateSigner signer = new StateSigner(new StateKeys(List.of(new StateKey(keyId, Secret.of(keyId, secret)))),
                Duration.ofMinutes(10), Duration.ofSeconds(30));
        return signer.sign(new StateClaims(issuedAt, new byte[StateClaims.NONCE_BYTES],
                new byte[StateClaims.BINDING_BYTES], ReturnPath.HOME));
    }

    /** The probe's own lines, without the log lines around them. */
    private static List<String> probeLines(ChildJvm.Result result) {
        return result.output().lines()
                .filter(line -> line.equals("context started") || line.startsWith("keys ")
                        || line.startsWith("signs with ")
                        || line.matches("[a-z0-9-]+ (valid|refused .*)"))
                .toList();
    }
}
