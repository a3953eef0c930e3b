package pot.login.domain.flow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import pot.login.domain.CodeVerifier;

/**
 * The secret of one login, held only in its HttpOnly flow cookie (ADR-0005). The signed state carries its
 * {@link #binding() binding}, a one-way digest, and the PKCE verifier is another one-way digest of it: whoever reads a
 * URL — the authorize request, the callback with its code, state and iss — learns neither the secret nor the verifier,
 * and so cannot finish the login from another browser (RFC 9700 §4.1, §4.5: attacker A3 reads authorization responses).
 */
final class FlowSecret {

    static final int BYTES = 32;
    private static final int ENCODED_LENGTH = 43;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    // Distinct labels make the two digests independent: knowing the state's binding tells nothing of the verifier.
    private static final byte[] BINDING_LABEL = "pot-login/flow-binding/v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERIFIER_LABEL = "pot-login/pkce-verifier/v1:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_LABEL = "pot-login/oidc-nonce/v1:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;

    private FlowSecret(byte[] secret) {
        this.secret = secret;
    }

    static FlowSecret random(SecureRandom random) {
        byte[] secret = new byte[BYTES];
        random.nextBytes(secret);
        return new FlowSecret(secret);
    }

    /** The secret a flow cookie carries; empty for anything but the canonical spelling of {@value #BYTES} bytes. */
    static Optional<FlowSecret> decode(String encoded) {
        if (encoded.length() != ENCODED_LENGTH) {
            return Optional.empty();
        }
        try {
            byte[] secret = DECODER.decode(encoded);
            // One spelling per secret: the decoder also takes a last character whose unused bits are not zero.
            return ENCODER.encodeToString(secret).equals(encoded) ? Optional.of(new FlowSecret(secret))
                    : Optional.empty();
        } catch (IllegalArgumentException notBase64url) {
            return Optional.empty();
        }
    }

    String encoded() {
        return ENCODER.encodeToString(secret);
    }

    /** What the state carries: SHA-256 of a label and the secret. */
    byte[] binding() {
        return sha256(BINDING_LABEL);
    }

    /** Whether this is the secret whose binding a state carries; constant time. */
    boolean binds(byte[] binding) {
        return MessageDigest.isEqual(binding(), binding);
    }

    /** The RFC 7636 code verifier: 43 characters of base64url, 256 bits, never stored, never in a URL. */
    CodeVerifier codeVerifier() {
        return new CodeVerifier(ENCODER.encodeToString(sha256(VERIFIER_LABEL)));
    }

    /**
     * The OpenID Connect nonce (OIDC Core §3.1.2.1): 43 characters of base64url, a third independent digest. The
     * authorize URL carries it, so it is no secret; what it proves is that the ID token was issued for the login whose
     * flow cookie this browser holds, which is what §15.5.2 asks of a nonce kept as a hash of a cookie value.
     */
    String nonce() {
        return ENCODER.encodeToString(sha256(NONCE_LABEL));
    }

    private byte[] sha256(byte[] label) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(label);
            return digest.digest(secret);
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }

    @Override
    public String toString() {
        return "FlowSecret[hidden]";
    }
}
