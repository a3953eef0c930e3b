package pot.login.domain;

import java.util.Objects;

/**
 * The OpenID Connect ID token (OIDC Core §2) that a token response carries next to the access token. It proves who
 * signed in for this login only once its signature, claims and nonce are checked; until then it is merely text, and
 * since it names the user it stays out of {@code toString()}.
 */
public record IdToken(String value) {

    public IdToken {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the ID token is blank");
        }
    }

    @Override
    public String toString() {
        return "IdToken[hidden]";
    }
}
