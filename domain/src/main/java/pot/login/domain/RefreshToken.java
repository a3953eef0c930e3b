package pot.login.domain;

import java.util.Objects;

/**
 * A refresh token (RFC 6749 §1.5): it buys new access tokens until the provider revokes or rotates it, so it is worth
 * more than the access token. It lives only inside the encrypted refresh cookie and the token request's body.
 * Hidden from {@code toString()}.
 */
public record RefreshToken(String value) implements RevocableToken {

    public RefreshToken {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the refresh token is blank");
        }
    }

    @Override
    public String toString() {
        return "RefreshToken[hidden]";
    }
}
