package pot.login.adapters.portal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Remembers, for a short time, which tokens' signatures already verified, in front of the real check: the session
 * cookie carries the same portal token on every page view, and its RSA signature does not change between them: one
 * sign-in verifies one token three times (the callback, the landing page, {@code /me}); bench/README.md has the
 * profile.
 *
 * <p>Only the signature is remembered: the claims (expiry, issuer, audience) are still checked on every request by
 * micronaut-security. Only a successful verification is remembered, keyed by the SHA-256 of the whole token (header,
 * claims and signature), so a token differing in any byte is verified afresh; the tokens themselves are not kept.
 * The cost: a key the portal withdraws from its JWKS stops verifying remembered tokens only after {@code ttl}.
 */
public final class CaffeineVerifiedSignatures implements JudgedSignature {

    private final SignatureConfiguration signature;
    private final Cache<ByteBuffer, Boolean> verified;

    public CaffeineVerifiedSignatures(SignatureConfiguration signature, Duration ttl, long maximumSize, Clock clock) {
        this.signature = Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero() || maximumSize < 1) {
            throw new IllegalArgumentException("a positive ttl and maximum size, got " + ttl + " and " + maximumSize);
        }
        this.verified = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(() -> Duration.ofMillis(clock.millis()).toNanos())
                .build();
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return signature.supportedAlgorithmsMessage();
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return signature.supports(algorithm);
    }

    @Override
    public SignatureVerdict judge(SignedJWT jwt) {
        if (jwt.getState() == SignedJWT.State.UNSIGNED) {
            return judged(jwt);
        }
        ByteBuffer key = digest(jwt.serialize());
        if (verified.getIfPresent(key) != null) {
            return SignatureVerdict.VERIFIED;
        }
        SignatureVerdict verdict = judged(jwt);
        if (verdict == SignatureVerdict.VERIFIED) {
            verified.put(key, Boolean.TRUE);
        }
        return verdict;
    }

    /** The real check's verdict; one that cannot say why it refused is taken to refuse the signature itself. */
    private SignatureVerdict judged(SignedJWT jwt) {
        if (signature instanceof JudgedSignature judged) {
            return judged.judge(jwt);
        }
        try {
            return signature.verify(jwt) ? SignatureVerdict.VERIFIED : SignatureVerdict.SIGNATURE;
        } catch (JOSEException e) {
            return SignatureVerdict.SIGNATURE;
        }
    }

    @Override
    public String toString() {
        return "CaffeineVerifiedSignatures[" + signature + "]";
    }

    private static ByteBuffer digest(String token) {
        try {
            return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException missingFromTheJdk) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", missingFromTheJdk);
        }
    }
}
