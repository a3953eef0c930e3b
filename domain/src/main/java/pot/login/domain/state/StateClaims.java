package pot.login.domain.state;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import pot.login.domain.ReturnPath;

/**
 * What a state says, once its signature has been checked.
 *
 * @param issuedAt when {@code /login} issued it, to the second
 * @param nonce    {@value #NONCE_BYTES} random bytes: no two states are alike, and later the key for single use
 * @param returnTo where the browser lands after signing in
 */
public record StateClaims(Instant issuedAt, byte[] nonce, ReturnPath returnTo) {

    public static final int NONCE_BYTES = 16;

    public StateClaims {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(returnTo, "returnTo");
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("a nonce is " + NONCE_BYTES + " bytes");
        }
        nonce = nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The nonce as hex: a stable id for this login attempt, safe to log (it grants nothing without the signature). */
    public String nonceHex() {
        return HexFormat.of().formatHex(nonce);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StateClaims that
                && issuedAt.equals(that.issuedAt)
                && Arrays.equals(nonce, that.nonce)
                && returnTo.equals(that.returnTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuedAt, Arrays.hashCode(nonce), returnTo);
    }

    @Override
    public String toString() {
        return "StateClaims[issuedAt=" + issuedAt + ", nonce=" + nonceHex() + ", returnTo=" + returnTo.value() + "]";
    }
}
