package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.PortalClient.authorizeRequest;
import static pot.login.sandbox.PortalClient.json;
import static pot.login.sandbox.PortalClient.tokenRequest;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.http.HttpResponse;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The user lookup ({@code /api/me}) and the published token-signing key. */
class UserAndKeysTest extends AgainstOneSandbox {

    @Test
    void describes_the_bearer_of_a_token_as_a_json_ld_person() {
        HttpResponse<String> me = portal.get("/api/me", Map.of("Authorization", "Bearer " + token(portal)));

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(me)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "@context", "https://standards.oftrust.net/v2/Context/Identity/LegalParty/Person/",
                "@type", "Person",
                "@id", "demo",
                "firstName", "Demo",
                "lastName", "User",
                "email", "demo@example.com"));
    }

    @Test
    void refuses_a_request_without_a_token() {
        HttpResponse<String> me = portal.get("/api/me", Map.of());

        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Bearer ").contains("error=\"invalid_token\""));
        assertThat(json(me)).containsEntry("error", "invalid_token");
    }

    @Test
    void refuses_a_tampered_token() {
        String token = token(portal);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"demo\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];

        HttpResponse<String> me = portal.get("/api/me", Map.of("Authorization", "Bearer " + tampered));

        assertThat(me.statusCode()).isEqualTo(401);
    }

    @Test
    void refuses_a_token_signed_by_another_portal_with_the_same_issuer() {
        try (PortalSandbox impostor = PortalSandbox.start(PortalClient.settings().withIssuer(sandbox.issuer()))) {
            String foreign = token(new PortalClient(impostor));

            assertThat(portal.get("/api/me", Map.of("Authorization", "Bearer " + foreign)).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void refuses_an_expired_token() {
        SettableClock clock = new SettableClock();
        try (PortalSandbox shortLived = PortalSandbox.start(PortalClient.settings()
                .withTokenLifetime(Duration.ofHours(1)).withClock(clock))) {
            PortalClient client = new PortalClient(shortLived);
            String token = token(client);
            clock.advance(Duration.ofHours(1).minusSeconds(1));
            assertThat(client.get("/api/me", Map.of("Authorization", "Bearer " + token)).statusCode())
                    .isEqualTo(200);

            clock.advance(Duration.ofSeconds(1));

            assertThat(client.get("/api/me", Map.of("Authorization", "Bearer " + token)).statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void publishes_the_signing_key_as_a_pem_rsa_public_key() throws Exception {
        HttpResponse<String> pem = portal.get("/keys/oauth.pub", Map.of());

        assertThat(pem.statusCode()).isEqualTo(200);
        assertThat(pem.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-pem-file"));
        List<String> lines = pem.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("-----BEGIN PUBLIC KEY-----");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-----END PUBLIC KEY-----");
        List<String> base64 = lines.subList(1, lines.size() - 1);
        assertThat(base64.subList(0, base64.size() - 1)).allSatisfy(line -> assertThat(line).hasSize(64));
        RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(String.join("", base64))));
        assertThat(key.getModulus().bitLength()).isEqualTo(2048);
        RSAKey published = (RSAKey) JWKSet.parse(portal.get("/keys/jwks.json", Map.of()).body()).getKeys().get(0);
        assertThat(published.toRSAPublicKey()).isEqualTo(key);
    }

    @Test
    void publishes_only_the_public_half_in_the_jwks() {
        HttpResponse<String> jwks = portal.get("/keys/jwks.json", Map.of());

        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) json(jwks).get("keys");
        assertThat(keys).singleElement().satisfies(key -> assertThat(key)
                .containsOnlyKeys("kty", "n", "e", "kid", "alg", "use")
                .containsEntry("kty", "RSA")
                .containsEntry("alg", "RS256")
                .containsEntry("use", "sig"));
    }

    private static String token(PortalClient client) {
        return (String) json(client.token(tokenRequest(client.code(authorizeRequest())))).get("access_token");
    }
}
