package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.PortalClient.CLIENT;
import static pot.login.sandbox.PortalClient.authorizeRequest;
import static pot.login.sandbox.PortalClient.json;
import static pot.login.sandbox.PortalClient.tokenRequest;
import static pot.login.sandbox.PortalClient.withPkce;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Step 7 on the portal's side: the token endpoint (RFC 6749 §4.1.3, §5) and the tokens it issues. */
class TokenEndpointTest extends AgainstOneSandbox {

    @Test
    void exchanges_a_code_for_a_bearer_token_with_client_secret_post() {
        HttpResponse<String> response = portal.token(tokenRequest(portal.code(authorizeRequest())));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        Map<String, Object> body = json(response);
        assertThat(body).containsOnlyKeys("access_token", "token_type", "expires_in", "scope")
                .containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 86_400L)
                .containsEntry("scope", "");
    }

    @Test
    void exchanges_a_code_with_client_secret_basic_decoding_the_url_encoded_credentials() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.remove("client_id");
        request.remove("client_secret");

        HttpResponse<String> response = portal.postForm(PortalClient.TOKEN_PATH, request,
                Map.of("Authorization", PortalClient.basic(CLIENT.clientId(), CLIENT.clientSecret())));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).containsKey("access_token");
    }

    @Test
    void issues_an_rs256_jwt_with_every_claim_that_verifies_with_the_published_key() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        String token = (String) json(portal.token(tokenRequest(portal.code(authorizeRequest())))).get("access_token");

        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet jwks = JWKSet.parse(portal.get("/keys/jwks.json", Map.of()).body());
        RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key).isNotNull();
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("demo");
        assertThat(claims.getAudience()).containsExactly(CLIENT.clientId());
        assertThat(claims.getIssuer()).isEqualTo(sandbox.issuer());
        assertThat(claims.getIssueTime().toInstant()).isBetween(before, Instant.now());
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofDays(1));
        assertThat(claims.getStringClaim("type")).isEqualTo("User");
    }

    @Test
    void two_sign_ins_of_one_user_within_one_second_get_two_different_tokens() throws Exception {
        String first = (String) json(portal.token(tokenRequest(portal.code(authorizeRequest())))).get("access_token");
        String second = (String) json(portal.token(tokenRequest(portal.code(authorizeRequest())))).get("access_token");

        assertThat(second).isNotEqualTo(first);
        assertThat(SignedJWT.parse(second).getJWTClaimsSet().getJWTID())
                .isNotBlank().isNotEqualTo(SignedJWT.parse(first).getJWTClaimsSet().getJWTID());
    }

    @Test
    void an_openid_request_gets_an_rs256_id_token_for_this_client_with_the_requests_nonce() throws Exception {
        Map<String, String> request = authorizeRequest();
        request.put("scope", "profile openid");
        request.put("nonce", "n-0S6_WzA2Mj");
        Instant before = Instant.now().minusSeconds(1);

        Map<String, Object> body = json(portal.token(tokenRequest(portal.code(request))));

        assertThat(body).containsKeys("access_token", "id_token").containsEntry("scope", "openid");
        SignedJWT idToken = SignedJWT.parse((String) body.get("id_token"));
        RSAKey key = (RSAKey) JWKSet.parse(portal.get("/keys/jwks.json", Map.of()).body())
                .getKeyByKeyId(idToken.getHeader().getKeyID());
        assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(idToken.verify(new RSASSAVerifier(key))).isTrue();
        JWTClaimsSet claims = idToken.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(sandbox.issuer());
        assertThat(claims.getSubject()).isEqualTo("demo");
        assertThat(claims.getAudience()).containsExactly(CLIENT.clientId());
        assertThat(claims.getStringClaim("azp")).isEqualTo(CLIENT.clientId());
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.getIssueTime().toInstant()).isBetween(before, Instant.now());
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    @Test
    void an_openid_request_without_a_nonce_gets_an_id_token_without_one_and_a_plain_scope_gets_none() throws Exception {
        Map<String, String> openId = authorizeRequest();
        openId.put("scope", "openid");
        Map<String, String> plain = authorizeRequest();
        plain.put("scope", "profile openidish");
        plain.put("nonce", "ignored-without-openid");

        Map<String, Object> withoutNonce = json(portal.token(tokenRequest(portal.code(openId))));
        Map<String, Object> withoutOpenId = json(portal.token(tokenRequest(portal.code(plain))));

        assertThat(SignedJWT.parse((String) withoutNonce.get("id_token")).getJWTClaimsSet().getClaim("nonce"))
                .isNull();
        assertThat(withoutOpenId).containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
    }

    @Test
    void rejects_a_second_use_of_a_code() {
        String code = portal.code(authorizeRequest());
        assertThat(portal.token(tokenRequest(code)).statusCode()).isEqualTo(200);

        HttpResponse<String> second = portal.token(tokenRequest(code));

        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(json(second)).containsEntry("error", "invalid_grant").containsKey("error_description");
        assertThat(second.body()).doesNotContain(code);
    }

    @Test
    void signing_in_beyond_the_bound_makes_the_oldest_code_invalid_grant_and_the_newest_still_works() {
        int bound = PortalClient.settings().pendingCodesPerUser();
        List<String> issued = new ArrayList<>();
        for (int i = 0; i <= bound; i++) {
            issued.add(portal.code(authorizeRequest()));
        }

        HttpResponse<String> oldest = portal.token(tokenRequest(issued.get(0)));
        HttpResponse<String> newest = portal.token(tokenRequest(issued.get(bound)));
        HttpResponse<String> oldestKept = portal.token(tokenRequest(issued.get(1)));

        assertThat(oldest.statusCode()).isEqualTo(400);
        assertThat(json(oldest)).containsEntry("error", "invalid_grant");
        assertThat(oldest.body()).doesNotContain(issued.get(0));
        assertThat(newest.statusCode()).isEqualTo(200);
        assertThat(oldestKept.statusCode()).isEqualTo(200);
    }

    @Test
    void rejects_a_code_it_never_issued() {
        HttpResponse<String> response = portal.token(tokenRequest("made-up-code"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_a_wrong_secret_with_401_invalid_client() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.put("client_secret", CLIENT.clientSecret() + "x");

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
        assertThat(response.body()).doesNotContain(CLIENT.clientSecret());
    }

    @Test
    void rejects_a_wrong_basic_secret_with_401_and_a_basic_challenge() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.remove("client_secret");

        HttpResponse<String> response = portal.postForm(PortalClient.TOKEN_PATH, request,
                Map.of("Authorization", PortalClient.basic(CLIENT.clientId(), "wrong")));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic "));
        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void rejects_two_client_authentication_methods_at_once() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));

        HttpResponse<String> response = portal.postForm(PortalClient.TOKEN_PATH, request,
                Map.of("Authorization", PortalClient.basic(CLIENT.clientId(), CLIENT.clientSecret())));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void rejects_a_request_without_client_authentication() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.remove("client_secret");

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response)).containsEntry("error", "invalid_client");
    }

    @Test
    void rejects_a_redirect_uri_other_than_the_one_the_code_was_issued_for() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.put("redirect_uri", "http://localhost:9999/other?tenant=a");

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_a_code_issued_to_another_client() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.put("client_id", PortalClient.OTHER_CLIENT.clientId());
        request.put("client_secret", PortalClient.OTHER_CLIENT.clientSecret());

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_another_grant_type() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.put("grant_type", "password");

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "unsupported_grant_type");
    }

    @Test
    void rejects_a_request_without_a_code() {
        Map<String, String> request = tokenRequest("unused");
        request.remove("code");

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_request");
    }

    @Test
    void accepts_the_right_pkce_verifier() {
        Map<String, String> request = tokenRequest(portal.code(withPkce(authorizeRequest())));
        request.put("code_verifier", PortalClient.VERIFIER);

        assertThat(portal.token(request).statusCode()).isEqualTo(200);
    }

    @Test
    void rejects_a_wrong_pkce_verifier() {
        Map<String, String> request = tokenRequest(portal.code(withPkce(authorizeRequest())));
        request.put("code_verifier", PortalClient.VERIFIER.replace('A', 'B'));

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_a_missing_pkce_verifier() {
        HttpResponse<String> response = portal.token(tokenRequest(portal.code(withPkce(authorizeRequest()))));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_a_verifier_for_a_code_issued_without_a_challenge() {
        Map<String, String> request = tokenRequest(portal.code(authorizeRequest()));
        request.put("code_verifier", PortalClient.VERIFIER);

        HttpResponse<String> response = portal.token(request);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    @Test
    void rejects_an_expired_code() {
        SettableClock clock = new SettableClock();
        try (PortalSandbox shortLived = PortalSandbox.start(PortalClient.settings()
                .withCodeLifetime(Duration.ofSeconds(60)).withClock(clock))) {
            PortalClient client = new PortalClient(shortLived);
            String code = client.code(authorizeRequest());
            clock.advance(Duration.ofSeconds(60));

            HttpResponse<String> response = client.token(tokenRequest(code));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response)).containsEntry("error", "invalid_grant");
        }
    }

    @Test
    void takes_the_token_lifetime_from_the_settings() {
        try (PortalSandbox hourly = PortalSandbox.start(PortalClient.settings()
                .withTokenLifetime(Duration.ofHours(1)))) {
            PortalClient client = new PortalClient(hourly);

            assertThat(json(client.token(tokenRequest(client.code(authorizeRequest())))))
                    .containsEntry("expires_in", 3_600L);
        }
    }
}
