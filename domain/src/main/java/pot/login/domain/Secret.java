package pot.login.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named secret (client secret, state key). Its {@code toString()} shows the name only, so a secret that reaches a
 * log line or an error message by accident still does not leak.
 */
public final class Secret {

    private final String name;
    private final byte[] value;

    private Secret(String name, byte[] value) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("secret '" + name + "' is empty");
        }
        this.value = value.clone();
    }

    public static Secret of(String name, String value) {
        Objects.requireNonNull(value, "secret '" + name + "' is missing");
        return new Secret(name, value.getBytes(StandardCharsets.UTF_8));
    }

    public String name() {
        return name;
    }

    /** A copy of the secret's bytes; callers must not keep it longer than they need it. */
    public byte[] bytes() {
        return value.clone();
    }

    /** The secret as text, for the one place that must send it (the token request). */
    public String reveal() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret that && name.equals(that.name) && java.security.MessageDigest.isEqual(value, that.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "Secret[" + name + ", hidden]";
    }
}
