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
 * @param binding  {@value #BINDING_BYTES} bytes that tie the state to the one browser holding the login's flow secret:
 *                 a one-way digest of that secret, so the state, public in URLs, does not reveal it (ADR-0005)
 * @param returnTo where the browser lands after signing in
 */
public record StateClaims(Instant issuedAt, byte[] nonce, byte[] binding, ReturnPath returnTo) {

    public static final int NONCE_BYTES = 16;
    public static final int BINDING_BYTES = 32;

    public StateClaims {
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(returnTo, "returnTo");
        if (nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("the nonce has " + nonce.length + " bytes, not " + NONCE_BYTES);
        }
        if (binding.length != BINDING_BYTES) {
            throw new IllegalArgumentException("the binding has " + binding.length + " bytes, not " + BINDING_BYTES);
        }
        nonce = nonce.clone();
        binding = binding.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] binding() {
        return binding.clone();
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
                && Arrays.equals(binding, that.binding)
                && returnTo.equals(that.returnTo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuedAt, Arrays.hashCode(nonce), Arrays.hashCode(binding), returnTo);
    }

    @Override
    public String toString() {
        return "StateClaims[issuedAt=" + issuedAt + ", nonce=" + nonceHex() + ", returnTo=" + returnTo.value() + "]";
    }
}
