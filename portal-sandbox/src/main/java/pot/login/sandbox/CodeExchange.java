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
            List.of("grant_type", "code", "redirect_uri", "client_id", "client_secret", "code_verifier");

    /** The token error codes of RFC 6749 §5.2 that this endpoint answers with. */
    enum Error {
        INVALID_REQUEST, INVALID_CLIENT, INVALID_GRANT, UNSUPPORTED_GRANT_TYPE;

        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    sealed interface Outcome permits Issued, Refused {
    }

    /** {@code idToken} is null unless the code was issued for an OpenID Connect request. */
    record Issued(String clientId, SignedToken token, String idToken) implements Outcome {
        @Override
        public String toString() {
            return "Issued[clientId=" + clientId + ", token=" + token + ", idToken=" + (idToken == null ? "none"
                    : "(hidden)") + "]";
        }
    }

    /** A refusal; the description quotes nothing from the request, so it can neither echo a secret nor a code. */
    record Refused(Error error, String description) implements Outcome {
    }

    private final SandboxSettings settings;
    private final AuthorizationCodes codes;
    private final AccessTokens tokens;

    CodeExchange(SandboxSettings settings, AuthorizationCodes codes, AccessTokens tokens) {
        this.settings = settings;
        this.codes = codes;
        this.tokens = tokens;
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
        if (!"authorization_code".equals(grantType)) {
            return new Refused(Error.UNSUPPORTED_GRANT_TYPE, "only authorization_code is supported");
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
                grant.openId() ? tokens.idToken(user, clientId, grant.nonce()) : null);
    }
}
