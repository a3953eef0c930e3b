package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.PortalClient.CLIENT;
import static pot.login.sandbox.PortalClient.OTHER_CLIENT;
import static pot.login.sandbox.PortalClient.authorizeRequest;
import static pot.login.sandbox.PortalClient.json;
import static pot.login.sandbox.PortalClient.tokenRequest;

import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6749 §6 on the portal's side, when the sandbox issues refresh tokens: one-minute tokens, rotation. */
class RefreshTokenEndpointTest {

    private static final SettableClock CLOCK = new SettableClock();
    private static PortalSandbox sandbox;
    private static PortalClient portal;

    @BeforeAll
    static void startSandbox() {
        sandbox = PortalSandbox.start(PortalClient.settings().withRefreshTokens(true)
                .withTokenLifetime(Duration.ofMinutes(1)).withClock(CLOCK));
        portal = new PortalClient(sandbox);
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    private static Map<String, String> refreshRequest(String refreshToken, RegisteredClient client) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "refresh_token");
        fields.put("refresh_token", refreshToken);
        fields.put("client_id", client.clientId());
        fields.put("client_secret", client.clientSecret());
        return fields;
    }

    private static String signIn() {
        Map<String, Object> body = json(portal.token(tokenRequest(portal.code(authorizeRequest()))));
        assertThat(body).containsKeys("access_token", "refresh_token").containsEntry("expires_in", 60L);
        return (String) body.get("refresh_token");
    }

    @Test
    void a_refresh_after_the_access_token_expired_issues_a_new_access_token_and_a_new_refresh_token() throws Exception {
        String first = signIn();
        CLOCK.advance(Duration.ofMinutes(2));

        var response = portal.token(refreshRequest(first, CLIENT));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        Map<String, Object> body = json(response);
        assertThat(body).containsKeys("access_token", "refresh_token").containsEntry("expires_in", 60L);
        assertThat(body.get("refresh_token")).isNotEqualTo(first);
        SignedJWT access = SignedJWT.parse((String) body.get("access_token"));
        assertThat(access.getJWTClaimsSet().getSubject()).isEqualTo("demo");
        assertThat(access.getJWTClaimsSet().getExpirationTime().toInstant())
                .isEqualTo(CLOCK.instant().plusSeconds(60));
    }

    @Test
    void a_used_refresh_token_is_refused_with_invalid_grant_and_revokes_the_one_that_replaced_it() {
        String first = signIn();
        String second = (String) json(portal.token(refreshRequest(first, CLIENT))).get("refresh_token");

        var replay = portal.token(refreshRequest(first, CLIENT));

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay)).containsEntry("error", "invalid_grant");
        assertThat(json(portal.token(refreshRequest(second, CLIENT)))).containsEntry("error", "invalid_grant");
    }

    @Test
    void a_refresh_token_of_another_client_is_refused() {
        String first = signIn();

        assertThat(json(portal.token(refreshRequest(first, OTHER_CLIENT)))).containsEntry("error", "invalid_grant");
    }

    @Test
    void an_openid_session_gets_a_refreshed_id_token_without_a_nonce() throws Exception {
        Map<String, String> request = authorizeRequest();
        request.put("scope", "openid");
        request.put("nonce", "n-1");
        String refresh = (String) json(portal.token(tokenRequest(portal.code(request)))).get("refresh_token");

        Map<String, Object> body = json(portal.token(refreshRequest(refresh, CLIENT)));

        var claims = SignedJWT.parse((String) body.get("id_token")).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("demo");
        assertThat(claims.getClaim("nonce")).isNull();
    }

    private static Map<String, String> revocationRequest(String token, String hint, RegisteredClient client) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("token", token);
        fields.put("token_type_hint", hint);
        fields.put("client_id", client.clientId());
        fields.put("client_secret", client.clientSecret());
        return fields;
    }

    @Test
    void a_revoked_refresh_token_is_refused_with_invalid_grant_and_so_is_the_rest_of_its_chain() {
        String first = signIn();
        String second = (String) json(portal.token(refreshRequest(first, CLIENT))).get("refresh_token");

        var revoked = portal.postForm(RevocationController.PATH,
                revocationRequest(second, "refresh_token", CLIENT), Map.of());

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.headers().firstValue("Cache-Control")).contains("no-store");
        var refresh = portal.token(refreshRequest(second, CLIENT));
        assertThat(refresh.statusCode()).isEqualTo(400);
        assertThat(json(refresh)).containsEntry("error", "invalid_grant");
    }

    @Test
    void revoking_an_unknown_token_or_another_clients_refresh_token_is_a_200_that_revokes_nothing() {
        String mine = signIn();

        assertThat(portal.postForm(RevocationController.PATH,
                revocationRequest(mine, "refresh_token", OTHER_CLIENT), Map.of()).statusCode()).isEqualTo(200);
        assertThat(portal.postForm(RevocationController.PATH,
                revocationRequest("no-such-token", "access_token", CLIENT), Map.of()).statusCode()).isEqualTo(200);

        assertThat(portal.token(refreshRequest(mine, CLIENT)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_revocation_without_client_authentication_is_a_401_invalid_client_and_revokes_nothing() {
        String mine = signIn();
        Map<String, String> unauthenticated = revocationRequest(mine, "refresh_token", CLIENT);
        unauthenticated.put("client_secret", "wrong");

        var refused = portal.postForm(RevocationController.PATH, unauthenticated, Map.of());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(json(refused)).containsEntry("error", "invalid_client");
        assertThat(portal.token(refreshRequest(mine, CLIENT)).statusCode()).isEqualTo(200);
    }
}
