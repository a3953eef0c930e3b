package pot.login.domain;

import java.util.regex.Pattern;

/**
 * Where the browser lands after signing in: always a path on this site, never a URL that could send the user elsewhere.
 * Anything that is not plainly a local absolute path becomes {@code /}.
 */
public record ReturnPath(String value) {

    // A single leading slash, then the RFC 3986 path, query and fragment characters. No backslash, no '%' escapes
    // (an encoded "//" or "\" could become one after decoding), no whitespace, no control characters.
    private static final Pattern LOCAL_PATH = Pattern.compile("/(?![/\\\\])[A-Za-z0-9\\-._~!$&'()*+,;=:@/?#]*");

    public static final int MAX_LENGTH = 512;
    // Declared after the pattern it is checked against: static fields initialise in order.
    public static final ReturnPath HOME = new ReturnPath("/");

    public ReturnPath {
        if (!isLocal(value)) {
            throw new IllegalArgumentException("not a local path");
        }
    }

    /** The path if it is a safe local one, otherwise {@link #HOME}. Never throws: the input comes from the browser. */
    public static ReturnPath orHome(String candidate) {
        return isLocal(candidate) ? new ReturnPath(candidate) : HOME;
    }

    private static boolean isLocal(String candidate) {
        return candidate != null && candidate.length() <= MAX_LENGTH && LOCAL_PATH.matcher(candidate).matches();
    }
}
