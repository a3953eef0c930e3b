package pot.login.domain.session;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import pot.login.domain.RefreshToken;
import pot.login.domain.Secret;

/**
 * Seals a {@link RefreshSession} into a cookie value and opens it again (ADR-0007): AES-256-GCM, a fresh 96-bit IV per
 * value, the cookie name and key id as associated data. The value is {@code v1.<key id>.<base64url(iv ‖ ciphertext)>}.
 * It encrypts under the current key and opens under any configured one, so keys rotate as the state keys do.
 */
public final class RefreshCookieCodec {

    /** Below 256 bits a key is guessable offline from one captured cookie. */
    public static final int MIN_KEY_BYTES = 32;
    private static final String VERSION = "v1";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    /** Bounds the work a forged cookie can cause; a refresh token plus subject is far smaller. */
    private static final int MAX_VALUE_LENGTH = 3072;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final String cookieName;
    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final SecureRandom random;

    /**
     * @param keys         key id to key, each at least {@link #MIN_KEY_BYTES} bytes
     * @param currentKeyId the key that seals new values; the others only open old ones
     */
    public RefreshCookieCodec(String cookieName, Map<String, Secret> keys, String currentKeyId, SecureRandom random) {
        this.cookieName = Objects.requireNonNull(cookieName, "cookieName");
        this.random = Objects.requireNonNull(random, "random");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(currentKeyId, "currentKeyId");
        Map<String, SecretKeySpec> derived = new LinkedHashMap<>();
        keys.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("the refresh-cookie key id is not 1-32 letters, digits, - or _: "
                        + id);
            }
            if (key.length() < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("the refresh-cookie key '" + id + "' has " + key.length()
                        + " bytes, fewer than " + MIN_KEY_BYTES);
            }
            derived.put(id, aesKey(key));
        });
        if (!derived.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("the current refresh-cookie key id '" + currentKeyId
                    + "' is not among the configured keys " + derived.keySet());
        }
        this.keys = Map.copyOf(derived);
        this.currentKeyId = currentKeyId;
    }

    public String seal(RefreshSession session) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(associatedData(currentKeyId));
            byte[] sealed = cipher.doFinal(plaintext(session));
            return VERSION + "." + currentKeyId + "."
                    + ENCODER.encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException missingFromTheJdk) {
            throw new IllegalStateException("AES/GCM is required of every Java platform", missingFromTheJdk);
        }
    }

    /** Empty for anything that is not a value this codec sealed under a configured key: tampered, forged, or stale. */
    public Optional<RefreshSession> open(String value) {
        if (value == null || value.length() > MAX_VALUE_LENGTH) {
            return Optional.empty();
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0]) || !keys.containsKey(parts[1])) {
            return Optional.empty();
        }
        try {
            byte[] ivAndSealed = DECODER.decode(parts[2]);
            if (ivAndSealed.length <= IV_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.get(parts[1]), new GCMParameterSpec(TAG_BITS, ivAndSealed, 0, IV_BYTES));
            cipher.updateAAD(associatedData(parts[1]));
            return Optional.of(session(cipher.doFinal(ivAndSealed, IV_BYTES, ivAndSealed.length - IV_BYTES)));
        } catch (IllegalArgumentException | GeneralSecurityException | IOException notOurs) {
            return Optional.empty();
        }
    }

    // The cookie's name is bound in: a value copied into another cookie of ours does not open there.
    private byte[] associatedData(String keyId) {
        return (cookieName + "|" + VERSION + "|" + keyId).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] plaintext(RefreshSession session) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeLong(session.signedInAt().getEpochSecond());
            out.writeUTF(session.subject());
            out.writeUTF(session.token().value());
            out.writeUTF(session.id());
            return bytes.toByteArray();
        } catch (IOException inMemory) {
            throw new IllegalStateException("writing to memory failed", inMemory);
        }
    }

    private static RefreshSession session(byte[] plaintext) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plaintext));
        Instant signedInAt = Instant.ofEpochSecond(in.readLong());
        String subject = in.readUTF();
        RefreshToken token = new RefreshToken(in.readUTF());
        return new RefreshSession(token, subject, signedInAt, in.readUTF());
    }

    /** Any configured key of 32 bytes or more becomes exactly the 256 bits AES-256 takes, bound to this use. */
    private static SecretKeySpec aesKey(Secret key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("pot-login/refresh-cookie-key/v1:".getBytes(StandardCharsets.UTF_8));
            return new SecretKeySpec(sha256.digest(key.bytes()), "AES");
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }
}
