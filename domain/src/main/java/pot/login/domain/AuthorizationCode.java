package pot.login.domain;

import java.util.Objects;

/** The one-time code the portal hands back in step 5. Hidden from {@code toString()}: codes are credentials until used. */
public record AuthorizationCode(String value) {

    /** Far above any real code, low enough that a hostile callback cannot make us forward megabytes to the portal. */
    public static final int MAX_LENGTH = 512;

    public AuthorizationCode {
        Objects.requireNonNull(value, "value");
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException((value.isBlank() ? "the authorization code is blank"
                    : "the authorization code has " + value.length() + " characters, over " + MAX_LENGTH));
        }
    }

    @Override
    public String toString() {
        return "AuthorizationCode[hidden]";
    }
}
