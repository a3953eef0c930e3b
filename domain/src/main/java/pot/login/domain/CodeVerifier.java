package pot.login.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The RFC 7636 PKCE code verifier of one login: it proves to the portal that whoever exchanges the code started the
 * login. A credential until the code is spent, so hidden from {@code toString()}.
 */
public record CodeVerifier(String value) {

    // RFC 7636 §4.1: 43 to 128 characters of the unreserved set.
    private static final Pattern SPELLING = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");

    public CodeVerifier {
        Objects.requireNonNull(value, "value");
        if (!SPELLING.matcher(value).matches()) {
            throw new IllegalArgumentException("the code verifier is not 43 to 128 unreserved characters (RFC 7636 "
                    + "§4.1): it has " + value.length() + " characters");
        }
    }

    @Override
    public String toString() {
        return "CodeVerifier[hidden]";
    }
}
