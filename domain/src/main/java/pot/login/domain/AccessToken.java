package pot.login.domain;

import java.time.Duration;
import java.util.Objects;

/** The login token of step 7, as the portal issued it, and how long the portal says it lives. */
public record AccessToken(String value, Duration expiresIn) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expiresIn, "expiresIn");
        if (value.isBlank()) {
            throw new IllegalArgumentException("the access token is blank");
        }
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            throw new IllegalArgumentException("the access token's lifetime is not positive: " + expiresIn);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[hidden, expiresIn=" + expiresIn + "]";
    }
}
