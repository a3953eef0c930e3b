package pot.login.domain;

import java.util.Objects;

/**
 * The portal's login token (step 7), which later rides in the session cookie: a bearer credential, so whoever holds it
 * is the user to the portal. Hidden from {@code toString()}.
 */
public record AccessToken(String value) implements RevocableToken {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the access token is blank");
        }
    }

    @Override
    public String toString() {
        return "AccessToken[hidden]";
    }
}
