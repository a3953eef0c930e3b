package pot.login.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Compares secrets without leaking, through timing, how much of a guess was right, or the secret's length. */
final class ConstantTime {

    private ConstantTime() {
    }

    static boolean equal(String expected, String candidate) {
        if (candidate == null) {
            return false;
        }
        // Equal-length digests: MessageDigest.isEqual then runs in time independent of where they differ.
        return MessageDigest.isEqual(sha256(expected), sha256(candidate));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
