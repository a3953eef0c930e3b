package pot.login.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import pot.login.sandbox.AccessTokens.SignedToken;

/**
 * A successful token response (RFC 6749 §5.1), shaped as the Platform of Trust portal sent it, with its empty
 * {@code scope} (serde leaves empty values out unless told).
 */
@Serdeable
record TokenResponse(@JsonProperty("access_token") String accessToken,
                     @JsonProperty("token_type") String tokenType,
                     @JsonProperty("expires_in") long expiresIn,
                     @JsonInclude(JsonInclude.Include.ALWAYS) String scope,
                     @JsonProperty("id_token") @Nullable String idToken,
                     @JsonProperty("refresh_token") @Nullable String refreshToken) {

    /**
     * @param idToken      the OpenID Connect ID token, or null for a plain OAuth 2.0 response (then left out)
     * @param refreshToken the refresh token, or null when none is issued (then left out)
     */
    static TokenResponse bearer(SignedToken token, @Nullable String idToken, @Nullable String refreshToken) {
        return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds(), idToken == null ? "" : "openid",
                idToken, refreshToken);
    }

    @Override
    public String toString() {
        return "TokenResponse[accessToken=(hidden), tokenType=" + tokenType + ", expiresIn=" + expiresIn
                + ", idToken=" + (idToken == null ? "none" : "(hidden)") + ", refreshToken="
                + (refreshToken == null ? "none" : "(hidden)") + "]";
    }
}
