package pot.login.domain.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;

class RefreshCookieCodecTest {

    private static final String NAME = "__Host-pot-refresh";
    private static final Secret KEY_A = Secret.of("a", "0123456789abcdef0123456789abcdef-a");
    private static final Secret KEY_B = Secret.of("b", "fedcba9876543210fedcba9876543210-b");
    private static final RefreshSession SESSION = new RefreshSession(new RefreshToken("rt-very-secret-value"),
            "user-123", Instant.parse("2026-12-01T10:00:00Z"), "session-id-1");

    private static RefreshCookieCodec codec(Map<String, Secret> keys, String current) {
        return new RefreshCookieCodec(NAME, keys, current, new SecureRandom());
    }

    @Test
    void a_sealed_session_opens_to_the_same_token_subject_and_sign_in_time() {
        RefreshCookieCodec codec = codec(Map.of("a", KEY_A), "a");

        assertThat(codec.open(codec.seal(SESSION))).contains(SESSION);
    }

    @Test
    void nothing_of_the_session_is_readable_in_the_value() {
        RefreshCookieCodec codec = codec(Map.of("a", KEY_A), "a");
        String value = codec.seal(SESSION);
        String decoded = new String(Base64.getUrlDecoder().decode(value.substring(value.lastIndexOf('.') + 1)),
                java.nio.charset.StandardCharsets.ISO_8859_1);

        assertThat(value).doesNotContain("rt-very-secret-value").doesNotContain("user-123").startsWith("v1.a.");
        assertThat(decoded).doesNotContain("rt-very-secret-value").doesNotContain("user-123");
        assertThat(codec.seal(SESSION)).as("a fresh IV each time").isNotEqualTo(value);
    }

    @Test
    void a_value_with_any_byte_changed_is_refused() {
        RefreshCookieCodec codec = codec(Map.of("a", KEY_A), "a");
        String value = codec.seal(SESSION);
        String prefix = value.substring(0, value.lastIndexOf('.') + 1);
        byte[] body = Base64.getUrlDecoder().decode(value.substring(prefix.length()));
        for (int i = 0; i < body.length; i++) {
            byte[] tampered = body.clone();
            tampered[i] ^= 0x01;
            assertThat(codec.open(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered)))
                    .as("byte %d flipped", i).isEmpty();
        }
    }

    @Test
    void a_value_sealed_under_another_key_is_refused_even_under_the_same_key_id() {
        String sealedUnderB = codec(Map.of("a", KEY_B), "a").seal(SESSION);

        assertThat(codec(Map.of("a", KEY_A), "a").open(sealedUnderB)).isEmpty();
    }

    @Test
    void a_value_relabelled_with_another_configured_key_id_is_refused() {
        RefreshCookieCodec both = codec(Map.of("a", KEY_A, "b", KEY_B), "a");
        String value = both.seal(SESSION);

        assertThat(both.open(value.replaceFirst("^v1\\.a\\.", "v1.b."))).isEmpty();
    }

    @Test
    void a_value_copied_into_a_cookie_of_another_name_is_refused() {
        String value = codec(Map.of("a", KEY_A), "a").seal(SESSION);

        assertThat(new RefreshCookieCodec("__Host-other", Map.of("a", KEY_A), "a", new SecureRandom()).open(value))
                .isEmpty();
    }

    @Test
    void after_a_rotation_a_value_sealed_under_the_old_key_still_opens_and_new_values_use_the_new_key() {
        String old = codec(Map.of("a", KEY_A), "a").seal(SESSION);
        RefreshCookieCodec rotated = codec(Map.of("a", KEY_A, "b", KEY_B), "b");

        assertThat(rotated.open(old)).contains(SESSION);
        assertThat(rotated.seal(SESSION)).startsWith("v1.b.");
        assertThat(codec(Map.of("b", KEY_B), "b").open(old)).as("once the old key is dropped").isEmpty();
    }

    @Test
    void garbage_is_refused_without_an_exception() {
        RefreshCookieCodec codec = codec(Map.of("a", KEY_A), "a");

        assertThat(codec.open("")).isEmpty();
        assertThat(codec.open("v1.a.")).isEmpty();
        assertThat(codec.open("v1.a.!!!")).isEmpty();
        assertThat(codec.open("v2.a.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(codec.open("v1.zz.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(codec.open("v1.a." + "A".repeat(5000))).isEmpty();
    }

    @Test
    void a_key_shorter_than_32_bytes_is_refused_with_its_id_and_length() {
        assertThatThrownBy(() -> codec(Map.of("short", Secret.of("short", "x".repeat(31))), "short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the refresh-cookie key 'short' has 31 bytes, fewer than 32");
    }

    @Test
    void a_current_key_id_that_is_not_configured_is_refused() {
        assertThatThrownBy(() -> codec(Map.of("a", KEY_A), "b"))
                .hasMessage("the current refresh-cookie key id 'b' is not among the configured keys [a]");
    }
}
