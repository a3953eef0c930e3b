package pot.login.sandbox;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import pot.login.sandbox.AccessTokens.SignedToken;
import pot.login.sandbox.AuthorizationCodes.Grant;

/** Step 7 on the portal's side: an authenticated client trades a code for an access token (RFC 6749 §4.1.3). */
@Singleton
class CodeExchange {

    private static final List<String> FIELDS =
            List.of("grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier",
                    "refresh_token");

    /** The token error codes of RFC 6749 §5.2 that this endpoint answers with. */
    enum Error {
        INVALID_REQUEST, INVALID_CLIENT, INVALID_GRANT, UNSUPPORTED_GRANT_TYPE;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    sealed interface Outcome permits Issued, Refused {
    }

    /**
     * {@code idToken} is null unless the code was issued for an OpenID Connect request; {@code refreshToken} is null
     * unless the sandbox issues refresh tokens.
     */
    record Issued(String clientId, SignedToken token, String idToken, String refreshToken) implements Outcome {
        @Override
        public String toString() {
            return "Issued[clientId=" + clientId + ", token=" + token + ", idToken=" + (idToken == null ? "none"
                    : "(hidden)") + ", refreshToken=" + (refreshToken == null ? "none" : "(hidden)") + "]";
        }
    }

    /** A refusal; the description quotes nothing from the request, so it can neither echo a secret nor a code. */
    record Refused(Error error, String description) implements Outcome {
    }

    private final SandboxSettings settings;
    private final AuthorizationCodes codes;
    private final AccessTokens tokens;
    private final RefreshTokens refreshTokens;

    CodeExchange(SandboxSettings settings, AuthorizationCodes codes, AccessTokens tokens, RefreshTokens refreshTokens) {
        this.settings = settings;
        this.codes = codes;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
    }

    Outcome exchange(Optional<ClientCredentials> credentials, Parameters form) {
        if (form.anyRepeated(FIELDS)) {
            return new Refused(Error.INVALID_REQUEST, "a parameter is repeated");
        }
        Optional<RegisteredClient> client = credentials.flatMap(presented -> settings.client(presented.clientId())
                .filter(registered -> registered.hasSecret(presented.secret())));
        if (client.isEmpty()) {
            return new Refused(Error.INVALID_CLIENT, "client authentication failed: use exactly one of "
                    + "client_secret_basic and client_secret_post, with a registered client and its secret");
        }
        String grantType = form.get("grant_type");
        if (grantType == null) {
            return new Refused(Error.INVALID_REQUEST, "grant_type is missing");
        }
        if (settings.refreshTokens() && "refresh_token".equals(grantType)) {
            return refresh(client.get(), form);
        }
        if (!"authorization_code".equals(grantType)) {
            return new Refused(Error.UNSUPPORTED_GRANT_TYPE, settings.refreshTokens()
                    ? "only authorization_code and refresh_token are supported" : "only authorization_code is supported");
        }
        String code = form.get("code");
        String redirectUri = form.get("redirect_uri");
        if (code == null || redirectUri == null) {
            return new Refused(Error.INVALID_REQUEST, code == null ? "code is missing" : "redirect_uri is missing");
        }
        // Redeeming uses the code up, even when a check below fails: a code is tried once, by anyone.
        Optional<Grant> redeemed = codes.redeem(code);
        if (redeemed.isEmpty()) {
            return new Refused(Error.INVALID_GRANT, "the code is unknown, expired or already used");
        }
        Grant grant = redeemed.get();
        String clientId = client.get().clientId();
        if (!grant.clientId().equals(clientId)) {
            return new Refused(Error.INVALID_GRANT, "the code was issued to another client");
        }
        if (!grant.redirectUri().equals(redirectUri)) {
            return new Refused(Error.INVALID_GRANT, "redirect_uri differs from the one the code was issued for");
        }
        String verifier = form.get("code_verifier");
        if (grant.codeChallenge() == null && verifier != null) {
            // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is refused, not ignored.
            return new Refused(Error.INVALID_GRANT, "code_verifier sent for a code issued without code_challenge");
        }
        if (grant.codeChallenge() != null && (verifier == null || !Pkce.matches(verifier, grant.codeChallenge()))) {
            return new Refused(Error.INVALID_GRANT, verifier == null ? "code_verifier is missing"
                    : "code_verifier does not match the code_challenge");
        }
        DemoUser user = settings.user(grant.username()).orElseThrow(
                () -> new IllegalStateException("a code was issued to a user who is not configured"));
        return new Issued(clientId, tokens.issue(user, clientId),
                grant.openId() ? tokens.idToken(user, clientId, grant.nonce()) : null,
                settings.refreshTokens() ? refreshTokens.issue(clientId, user.username(), grant.openId()) : null);
    }

    /** RFC 6749 §6, with rotation: the presented refresh token is used up, a new one comes with the access token. */
    private Outcome refresh(RegisteredClient client, Parameters form) {
        String presented = form.get("refresh_token");
        if (presented == null) {
            return new Refused(Error.INVALID_REQUEST, "refresh_token is missing");
        }
        Optional<RefreshTokens.RefreshGrant> redeemed = refreshTokens.redeem(presented);
        if (redeemed.isEmpty()) {
            return new Refused(Error.INVALID_GRANT, "the refresh token is unknown, revoked or already used");
        }
        RefreshTokens.RefreshGrant grant = redeemed.get();
        if (!grant.clientId().equals(client.clientId())) {
            return new Refused(Error.INVALID_GRANT, "the refresh token was issued to another client");
        }
        DemoUser user = settings.user(grant.username()).orElseThrow(
                () -> new IllegalStateException("a refresh token was issued to a user who is not configured"));
        // OIDC Core §12.2: a refreshed ID token has no nonce.
        return new Issued(client.clientId(), tokens.issue(user, client.clientId()),
                grant.openId() ? tokens.idToken(user, client.clientId(), null) : null, refreshTokens.rotate(grant));
    }
}
