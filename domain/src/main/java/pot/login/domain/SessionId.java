package pot.login.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * A session's name for the server-side stores: the SHA-256 of its token, base64url. A store (or a dump of it) that
 * holds these holds no credential: the token cannot be recovered from its digest, and a digest is no cookie.
 */
public record SessionId(String value) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** 32 bytes of SHA-256, base64url without padding. */
    public static final int LENGTH = 43;

    public SessionId {
        Objects.requireNonNull(value, "value");
        if (value.length() != LENGTH) {
            throw new IllegalArgumentException("a session id is " + LENGTH + " characters, this one is "
                    + value.length());
        }
    }

    public static SessionId of(AccessToken token) {
        try {
            return new SessionId(ENCODER.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.value().getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }
}
