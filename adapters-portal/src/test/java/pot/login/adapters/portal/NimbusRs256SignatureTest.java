package pot.login.adapters.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.ROTATED;
import static pot.login.adapters.portal.PortalKeys.STRANGER;
import static pot.login.adapters.portal.PortalKeys.loginClaims;
import static pot.login.adapters.portal.PortalKeys.rs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@MicronautTest
@Property(name = "spec.name", value = "NimbusRs256SignatureTest")
@Property(name = "micronaut.security.enabled", value = "false")
class NimbusRs256SignatureTest {

    static final int JWKS_SIZE_LIMIT = 64 * 1024;

    @Inject
    EmbeddedServer server;

    @Inject
    FakeKeyServer keyServer;

    @BeforeEach
    void publishThePortalKey() {
        keyServer.keys = new JWKSet(PORTAL);
        keyServer.fetches.set(0);
    }

    NimbusRs256Signature fromJwks() {
        return fromJwks(URI.create(server.getURL() + "/keys/jwks.json"));
    }

    static NimbusRs256Signature fromJwks(URI jwksUri) {
        return NimbusRs256Signature.fromJwksUri(jwksUri, Duration.ofMillis(500), Duration.ofSeconds(1), JWKS_SIZE_LIMIT);
    }

    static NimbusRs256Signature fromPem() {
        return NimbusRs256Signature.fromPem(PortalKeys.pem(PORTAL));
    }

    static SignedJWT reparsed(SignedJWT jwt) throws Exception {
        return SignedJWT.parse(jwt.serialize());
    }

    @Test
    void verifies_an_rs256_token_signed_with_the_pem_key() throws Exception {
        assertThat(fromPem().verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();
    }

    @Test
    void verifies_an_rs256_token_signed_with_a_key_from_the_jwks() throws Exception {
        assertThat(fromJwks().verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();
    }

    @Test
    void supports_rs256_and_nothing_else() {
        NimbusRs256Signature signature = fromPem();

        assertThat(signature.supports(JWSAlgorithm.RS256)).isTrue();
        for (JWSAlgorithm other : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
                JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, new JWSAlgorithm("none"))) {
            assertThat(signature.supports(other)).as(other.getName()).isFalse();
        }
        assertThat(signature.supportedAlgorithmsMessage()).isEqualTo("Only the RS256 JWS algorithm is supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"RS384", "RS512", "PS256", "PS512"})
    void refuses_another_rsa_algorithm_even_with_the_portal_key(String algorithm) throws Exception {
        SignedJWT jwt = reparsed(PortalKeys.signed(PORTAL, JWSAlgorithm.parse(algorithm), loginClaims().build()));

        assertThat(fromPem().verify(jwt)).isFalse();
        assertThat(fromJwks().verify(jwt)).isFalse();
    }

    @Test
    void refuses_hs256_signed_with_the_public_key_as_hmac_secret() throws Exception {
        byte[] der = PORTAL.toRSAPublicKey().getEncoded();
        byte[] pemText = PortalKeys.pem(PORTAL).getBytes(StandardCharsets.US_ASCII);
        for (byte[] secret : List.of(der, pemText)) {
            SignedJWT jwt = reparsed(PortalKeys.signed(new MACSigner(secret), PORTAL.getKeyID(), JWSAlgorithm.HS256,
                    loginClaims().build()));

            assertThat(fromPem().verify(jwt)).isFalse();
            assertThat(fromJwks().verify(jwt)).isFalse();
        }
    }

    @Test
    void refuses_a_token_signed_by_another_key_with_the_same_key_id() throws Exception {
        SignedJWT jwt = reparsed(rs256(STRANGER, loginClaims().build()));

        assertThat(fromPem().verify(jwt)).isFalse();
        assertThat(fromJwks().verify(jwt)).isFalse();
    }

    @Test
    void refuses_a_stranger_with_the_same_key_id_after_a_genuine_token_verified() throws Exception {
        NimbusRs256Signature signature = fromJwks();
        assertThat(signature.verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();

        assertThat(signature.verify(reparsed(rs256(STRANGER, loginClaims().build())))).isFalse();
    }

    @Test
    void refuses_a_token_signed_by_a_published_key_too_short_to_trust() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        RSAKey weakJwk = new RSAKey.Builder((RSAPublicKey) weak.getPublic()).privateKey(weak.getPrivate())
                .keyID("weak").build();
        keyServer.keys = new JWKSet(List.of(PORTAL, weakJwk));
        NimbusRs256Signature signature = fromJwks();

        SignedJWT jwt = reparsed(PortalKeys.signed(new RSASSASigner(weak.getPrivate(), true), "weak",
                JWSAlgorithm.RS256, loginClaims().build()));

        assertThat(signature.verify(jwt)).isFalse();
        assertThat(signature.verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();
    }

    @Test
    void refuses_a_token_whose_claims_were_changed_after_signing() throws Exception {
        String[] parts = rs256(PORTAL, loginClaims().build()).serialize().split("\\.");
        String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                loginClaims().subject("someone-else").build().toString().getBytes(StandardCharsets.UTF_8));

        assertThat(fromPem().verify(SignedJWT.parse(parts[0] + "." + forgedClaims + "." + parts[2]))).isFalse();
    }

    @Test
    void picks_up_a_rotated_key_when_a_token_names_a_key_id_it_has_not_seen() throws Exception {
        NimbusRs256Signature signature = fromJwks();
        assertThat(signature.verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();

        keyServer.keys = new JWKSet(List.of(ROTATED, PORTAL));

        assertThat(signature.verify(reparsed(rs256(ROTATED, loginClaims().build())))).isTrue();
        assertThat(keyServer.fetches).hasValue(2);
    }

    @Test
    void fetches_the_jwks_once_for_many_tokens_with_known_keys() throws Exception {
        NimbusRs256Signature signature = fromJwks();
        for (int i = 0; i < 5; i++) {
            assertThat(signature.verify(reparsed(rs256(PORTAL, loginClaims().build())))).isTrue();
        }

        assertThat(keyServer.fetches).hasValue(1);
    }

    @Test
    void does_not_let_unknown_key_ids_hammer_the_portal() throws Exception {
        NimbusRs256Signature signature = fromJwks();
        for (int i = 0; i < 10; i++) {
            SignedJWT forged = reparsed(rs256(PortalKeys.generate("forged-" + (i % 2)), loginClaims().build()));
            assertThat(signature.verify(forged)).isFalse();
        }

        assertThat(keyServer.fetches.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void refuses_every_token_while_the_jwks_cannot_be_fetched() throws Exception {
        NimbusRs256Signature signature = fromJwks(URI.create(PortalClients.closedPort() + "/keys/jwks.json"));

        assertThat(signature.verify(reparsed(rs256(PORTAL, loginClaims().build())))).isFalse();
    }

    @Test
    void rejects_a_pem_key_that_is_not_rsa() throws Exception {
        String ecPem = PortalKeys.pem(new ECKeyGenerator(Curve.P_256).generate().toECPublicKey());

        assertThatIllegalArgumentException().isThrownBy(() -> NimbusRs256Signature.fromPem(ecPem))
                .withMessageContaining("not an RSA public key");
    }

    @Test
    void rejects_an_rsa_key_too_short_to_trust() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String weakPem = PortalKeys.pem(generator.generateKeyPair().getPublic());

        assertThatIllegalArgumentException().isThrownBy(() -> NimbusRs256Signature.fromPem(weakPem))
                .withMessageContaining("1024 bits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a key", "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----",
            "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----",
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----"})
    void rejects_text_that_is_not_a_pem_public_key(String pem) {
        assertThatIllegalArgumentException().isThrownBy(() -> NimbusRs256Signature.fromPem(pem));
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/jwks.json", "keys/jwks.json", "ftp://portal.example.test/jwks.json"})
    void rejects_a_jwks_uri_that_is_not_an_http_url(String uri) {
        assertThatIllegalArgumentException().isThrownBy(() -> fromJwks(URI.create(uri)));
    }

    @Test
    void names_its_key_source_but_no_key_material() {
        assertThat(fromPem()).hasToString("NimbusRs256Signature[PEM public key]");
        assertThat(fromJwks()).hasToString("NimbusRs256Signature[JWKS at " + server.getURL() + "/keys/jwks.json]");
    }
}
