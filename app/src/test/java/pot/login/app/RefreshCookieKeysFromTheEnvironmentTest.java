package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;
import pot.login.domain.session.RefreshCookieCodec;
import pot.login.domain.session.RefreshSession;

/**
 * Refresh-cookie key ids such as {@code demo-1} and {@code prod-2} as an operator sets them (ADR-0007): through real
 * environment variables of a child JVM ({@link RefreshKeyProbe}), through {@code -D} and through YAML — the same keys
 * every way, read by name as the state keys are.
 */
class RefreshCookieKeysFromTheEnvironmentTest {

    private static final String NAME = "__Host-pot-refresh";
    private static final String DEMO_SECRET = "first-refresh-cookie-key-0123456789abcdef01";
    private static final String PROD_SECRET = "second-refresh-cookie-key-0123456789abcdef0";
    /** The probe's context needs a state key to start; it is not what this test is about. */
    private static final Map<String, String> STATE = Map.of("POT_LOGIN_STATE_SIGNING_KEY_ID", "s1",
            "POT_LOGIN_STATE_KEYS_S1", StateKeysFromTheEnvironmentTest.DEMO_SECRET);

    @Test
    void ids_with_a_hyphen_give_the_same_keys_from_environment_variables_system_properties_and_yaml(
            @TempDir Path dir) throws IOException {
        List<String> cookies = List.of("demo-1=" + seal("demo-1", DEMO_SECRET), "prod-2=" + seal("prod-2", PROD_SECRET),
                "unknown=" + seal("prod-3", PROD_SECRET));
        Path yaml = Files.writeString(dir.resolve("keys.yml"), """
                pot-login:
                  session:
                    refresh-cookie-key-id: prod-2
                    refresh-cookie-keys:
                      demo-1: %s
                      prod-2: %s
                """.formatted(DEMO_SECRET, PROD_SECRET));

        ChildJvm.Result fromVariables = ChildJvm.run(RefreshKeyProbe.class, with(STATE, Map.of(
                "POT_LOGIN_SESSION_REFRESH_COOKIE_KEY_ID", "prod-2",
                "POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_DEMO_1", DEMO_SECRET,
                "POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_PROD_2", PROD_SECRET)), List.of(), cookies);
        ChildJvm.Result fromSystemProperties = ChildJvm.run(RefreshKeyProbe.class, STATE, List.of(
                "-Dpot-login.session.refresh-cookie-key-id=prod-2",
                "-Dpot-login.session.refresh-cookie-keys.demo-1=" + DEMO_SECRET,
                "-Dpot-login.session.refresh-cookie-keys.prod-2=" + PROD_SECRET), cookies);
        ChildJvm.Result fromYaml = ChildJvm.run(RefreshKeyProbe.class, STATE,
                List.of("-Dmicronaut.config.files=" + yaml), cookies);

        for (ChildJvm.Result result : List.of(fromVariables, fromSystemProperties, fromYaml)) {
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(probeLines(result)).as(result.output()).containsExactly("context started", "renews yes",
                    "demo-1 opens", "prod-2 opens", "unknown does not open");
            // Sealed under prod-2 with PROD_SECRET: the key id and its secret both came through.
            assertThat(open(sealedBy(result), "prod-2", PROD_SECRET)).hasValueSatisfying(
                    session -> assertThat(session.token().value()).isEqualTo("probe-token"));
            assertThat(result.output()).doesNotContain(DEMO_SECRET, PROD_SECRET);
        }
    }

    @Test
    void a_malformed_refresh_cookie_key_id_is_refused_at_start_naming_it_wherever_it_was_set() {
        ChildJvm.Result result = ChildJvm.run(RefreshKeyProbe.class, with(STATE, Map.of(
                        "POT_LOGIN_SESSION_REFRESH_COOKIE_KEY_ID", "prod-2",
                        "POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_PROD_2", PROD_SECRET,
                        "POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_DEMO__1", DEMO_SECRET)),
                List.of("-Dpot-login.session.refresh-cookie-keys.next_3=" + DEMO_SECRET), List.of());

        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output())
                .contains("POT_LOGIN_SESSION_REFRESH_COOKIE_KEYS_DEMO__1: 'DEMO__1' does not spell a refresh-cookie "
                        + "key id: " + RefreshCookieKeySettings.SPELLING)
                .contains("pot-login.session.refresh-cookie-keys.next_3: 'next_3' is not a refresh-cookie key id: "
                        + RefreshCookieKeySettings.SPELLING)
                .doesNotContain("context started", DEMO_SECRET, PROD_SECRET);
    }

    private static Map<String, String> with(Map<String, String> first, Map<String, String> second) {
        Map<String, String> both = new HashMap<>(first);
        both.putAll(second);
        return both;
    }

    private static RefreshCookieCodec codec(String keyId, String secret) {
        return new RefreshCookieCodec(NAME, Map.of(keyId, Secret.of(keyId, secret)), keyId, new SecureRandom());
    }

    private static String seal(String keyId, String secret) {
        return codec(keyId, secret).seal(new RefreshSession(new RefreshToken("test-token"), "demo", Instant.now(), "test-session"));
    }

    private static Optional<RefreshSession> open(String cookie, String keyId, String secret) {
        return codec(keyId, secret).open(cookie);
    }

    private static String sealedBy(ChildJvm.Result result) {
        return result.output().lines().filter(line -> line.startsWith("sealed ")).findFirst()
                .map(line -> line.substring("sealed ".length())).orElseThrow(() -> new AssertionError(result.output()));
    }

    /** The probe's own lines, without the log lines around them (and the sealed cookie, checked apart). */
    private static List<String> probeLines(ChildJvm.Result result) {
        return result.output().lines()
                .filter(line -> line.equals("context started") || line.startsWith("renews ")
                        || line.matches("[a-z0-9-]+ (opens|does not open)"))
                .toList();
    }
}
