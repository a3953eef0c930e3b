package pot.login.domain.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;

/**
 * Writes and checks the {@code state} parameter (ADR-0002).
 *
 * <p>Format: {@code <key id>.<payload>.<mac>}, payload and mac in base64url without padding. The payload is
 * {@code version (1 byte) | issued-at epoch seconds (8 bytes) | nonce (16 bytes) | browser binding (32 bytes) |
 * return path (UTF-8)}; the mac is
 * HMAC-SHA256 over the ASCII text {@code <key id>.<payload>}, so the key id is signed too.
 *
 * <p>Checks run cheapest first and every refusal is the same {@link Rejection#STATE_INVALID} until the signature holds,
 * so a forger learns nothing about which part was wrong.
 */
public final class StateSigner {

    /** Far above a real state (about 100 characters plus the return path), far below anything that costs us. */
    public static final int MAX_LENGTH = 1024;

    private static final String ALGORITHM = "HmacSHA256";
    /** 2 since the browser binding is a digest of the flow cookie's secret (ADR-0005); version 1 states are refused. */
    private static final byte VERSION = 2;
    private static final int HEADER_BYTES = 1 + Long.BYTES + StateClaims.NONCE_BYTES + StateClaims.BINDING_BYTES;
    private static final int MAC_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final StateKeys keys;
    private final Duration maxAge;
    private final Duration allowedClockSkew;
    /**
     * Initialised Macs not in use, per key id. A Mac is not thread-safe, and a ThreadLocal would not keep one: the
     * callback runs on a new virtual thread per request. So a MAC borrows one and gives it back; there are never more
     * than the most MACs computed at once with that key.
     */
    private final Map<String, Queue<Mac>> idleMacs = new ConcurrentHashMap<>();

    public StateSigner(StateKeys keys, Duration maxAge, Duration allowedClockSkew) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.maxAge = positive(maxAge, "maxAge");
        this.allowedClockSkew = Objects.requireNonNull(allowedClockSkew, "allowedClockSkew");
        if (allowedClockSkew.isNegative()) {
            throw new IllegalArgumentException("allowedClockSkew is negative: " + allowedClockSkew);
        }
    }

    public Duration maxAge() {
        return maxAge;
    }

    public String sign(StateClaims claims) {
        byte[] path = claims.returnTo().value().getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(HEADER_BYTES + path.length)
                .put(VERSION)
                .putLong(claims.issuedAt().getEpochSecond())
                .put(claims.nonce())
                .put(claims.binding())
                .put(path);
        StateKey key = keys.signing();
        String signed = key.id() + "." + ENCODER.encodeToString(payload.array());
        return signed + "." + ENCODER.encodeToString(mac(key, signed));
    }

    public StateCheck verify(String state, Instant now) {
        return authentic(state, now)
                .map(signed -> judge(signed, now))
                .orElseGet(() -> new StateCheck.Refused(Rejection.STATE_INVALID));
    }

    /** The key and payload of a state whose shape, key and signature hold; empty for anything else. */
    private Optional<Signed> authentic(String state, Instant now) {
        if (state == null || state.isEmpty() || state.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        int firstDot = state.indexOf('.');
        int lastDot = state.lastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || state.indexOf('.', firstDot + 1) != lastDot) {
            return Optional.empty();
        }
        String keyId = state.substring(0, firstDot);
        if (!StateKey.isWellFormedId(keyId)) {
            return Optional.empty();
        }
        Optional<StateKey> key = keys.byId(keyId).filter(candidate -> stillVerifies(candidate, now));
        byte[] payload = decode(state.substring(firstDot + 1, lastDot));
        byte[] presentedMac = decode(state.substring(lastDot + 1));
        if (key.isEmpty() || payload == null || presentedMac == null || presentedMac.length != MAC_BYTES) {
            return Optional.empty();
        }
        byte[] expectedMac = mac(key.get(), state.substring(0, lastDot));
        // Constant time, so the time to refuse does not tell a forger how many bytes were right.
        if (!MessageDigest.isEqual(expectedMac, presentedMac)) {
            return Optional.empty();
        }
        return Optional.of(new Signed(key.get(), payload));
    }

    /** A retired key is dropped once every state it can have signed has expired. */
    private boolean stillVerifies(StateKey key, Instant now) {
        return !key.isRetired() || !now.isAfter(key.retiredAt().plus(maxAge));
    }

    private record Signed(StateKey key, byte[] payload) {
    }

    private StateCheck judge(Signed signed, Instant now) {
        byte[] payload = signed.payload();
        if (payload.length < HEADER_BYTES || payload[0] != VERSION) {
            return new StateCheck.Refused(Rejection.STATE_INVALID);
        }
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        buffer.get();
        long seconds = buffer.getLong();
        // Far outside the window the number alone decides: Instant cannot hold every long, and a state must never
        // make us throw, even one signed with our key.
        if (seconds > now.plus(allowedClockSkew).getEpochSecond() + 1) {
            return new StateCheck.Refused(Rejection.STATE_FROM_FUTURE);
        }
        if (seconds < now.minus(maxAge).getEpochSecond() - 1) {
            return new StateCheck.Refused(Rejection.STATE_EXPIRED);
        }
        Instant issuedAt = Instant.ofEpochSecond(seconds);
        byte[] nonce = new byte[StateClaims.NONCE_BYTES];
        buffer.get(nonce);
        byte[] binding = new byte[StateClaims.BINDING_BYTES];
        buffer.get(binding);
        String path = new String(payload, HEADER_BYTES, payload.length - HEADER_BYTES, StandardCharsets.UTF_8);
        if (signed.key().isRetired() && issuedAt.isAfter(signed.key().retiredAt())) {
            // A retired key signs nothing new: such a state was forged with a leaked key, or the clocks are wrong.
            return new StateCheck.Refused(Rejection.STATE_INVALID);
        }
        if (issuedAt.isAfter(now.plus(allowedClockSkew))) {
            return new StateCheck.Refused(Rejection.STATE_FROM_FUTURE);
        }
        if (issuedAt.plus(maxAge).isBefore(now)) {
            return new StateCheck.Refused(Rejection.STATE_EXPIRED);
        }
        ReturnPath returnTo = ReturnPath.orHome(path);
        return new StateCheck.Valid(new StateClaims(issuedAt, nonce, binding, returnTo));
    }

    private static byte[] decode(String base64url) {
        // One spelling per value: the decoder also accepts padding, and a last character whose unused low bits are
        // not zero, so "AB" and "AC" can decode alike. Only the canonical spelling is ours.
        if (base64url.isEmpty() || base64url.indexOf('=') >= 0) {
            return null;
        }
        try {
            byte[] decoded = DECODER.decode(base64url);
            return ENCODER.encodeToString(decoded).equals(base64url) ? decoded : null;
        } catch (IllegalArgumentException notBase64url) {
            return null;
        }
    }

    private byte[] mac(StateKey key, String signedText) {
        // Mac.getInstance looks the algorithm up among the security providers and init derives the HMAC pads: both
        // cost more than the MAC itself, so initialised Macs are reused. doFinal resets one for the next MAC.
        Queue<Mac> idle = idleMacs.computeIfAbsent(key.id(), id -> new ConcurrentLinkedQueue<>());
        Mac borrowed = idle.poll();
        Mac mac = borrowed != null ? borrowed : newMac(key);
        byte[] result = mac.doFinal(signedText.getBytes(StandardCharsets.US_ASCII));
        // Only a Mac that finished goes back: one that threw might hold part of a text.
        idle.offer(mac);
        return result;
    }

    private static Mac newMac(StateKey key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key.secret().bytes(), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException missingFromTheJdk) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", missingFromTheJdk);
        }
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " is not positive: " + duration);
        }
        return duration;
    }
}
