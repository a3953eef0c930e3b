package pot.login.adapters.portal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The portal's token-signing key, for micronaut-security-jwt: verifies RS256 and nothing else. Pinning the algorithm
 * here, not trusting the token's header, is what defeats algorithm confusion (an HS256 token "signed" with the public
 * key as HMAC secret) and downgrades to algorithms the portal never uses.
 *
 * <p>Keys come either from the portal's JWKS document (cached, and fetched again when a token names an unknown
 * {@code kid}, which is how key rotation reaches us) or from a PEM public key, as Platform of Trust published theirs.
 */
public final class NimbusRs256Signature implements JudgedSignature {

    private static final Logger LOG = LoggerFactory.getLogger(NimbusRs256Signature.class);
    private static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS256;
    /** NIST SP 800-131A: RSA keys below 2048 bits are disallowed for signatures. */
    private static final int MIN_KEY_BITS = 2048;
    private static final Pattern PEM_PUBLIC_KEY = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    /** More distinct keys than a portal publishes at once (current, next, previous); a guard, not a tuning knob. */
    private static final int MAX_REMEMBERED_KEYS = 16;

    private final KeyRing keys;
    private final KeyCount available;
    private final String source;

    private NimbusRs256Signature(KeyRing keys, KeyCount available, String source) {
        this.keys = keys;
        this.available = available;
        this.source = source;
    }

    /** How many RSA signing keys can be had now. */
    @FunctionalInterface
    private interface KeyCount {
        int now() throws KeySourceException;
    }

    /** The portal's keys cannot be had: the message names where they come from and what failed, never a token. */
    public static final class KeysUnavailableException extends Exception {
        KeysUnavailableException(String message) {
            super(message);
        }
    }

    /** The verifiers for the portal's keys that may have signed a token with this header. */
    @FunctionalInterface
    private interface KeyRing {
        List<RSASSAVerifier> candidatesFor(JWSHeader header) throws KeySourceException;
    }

    /**
     * Keys from a JWKS document, fetched on first use, cached, and fetched again for an unknown key id (rate limited
     * by nimbus, so a stream of forged key ids cannot make us hammer the portal).
     */
    public static NimbusRs256Signature fromJwksUri(URI jwksUri, Duration connectTimeout, Duration readTimeout,
                                                   int sizeLimitBytes) {
        Objects.requireNonNull(jwksUri, "jwksUri");
        if (sizeLimitBytes <= 0) {
            throw new IllegalArgumentException("the JWKS size limit is positive, got " + sizeLimitBytes);
        }
        DefaultResourceRetriever retriever = new DefaultResourceRetriever(
                millis(connectTimeout, "connect timeout"), millis(readTimeout, "read timeout"), sizeLimitBytes);
        JWKSource<SecurityContext> jwks = JWKSourceBuilder.<SecurityContext>create(url(jwksUri), retriever).build();
        JWKSelector rsaSigningKeys = new JWKSelector(new JWKMatcher.Builder().keyType(KeyType.RSA)
                .keyUses(KeyUse.SIGNATURE, null).build());
        // Turning a JWK into a Java key parses its modulus (a BigInteger) each time, a cost of the same order as the
        // RSA check itself (bench/README.md), so each key's verifier is built once. Which keys are candidates is
        // still nimbus's answer from the current JWKS; this map only remembers conversions.
        Map<RSAKey, Optional<RSASSAVerifier>> converted = new ConcurrentHashMap<>();
        return new NimbusRs256Signature(header -> {
            List<RSASSAVerifier> candidates = new ArrayList<>(1);
            for (JWK jwk : jwks.get(new JWKSelector(JWKMatcher.forJWSHeader(header)), null)) {
                if (jwk instanceof RSAKey rsa) {
                    if (converted.size() >= MAX_REMEMBERED_KEYS && !converted.containsKey(rsa)) {
                        converted.clear();
                    }
                    converted.computeIfAbsent(rsa, NimbusRs256Signature::verifierFor).ifPresent(candidates::add);
                }
            }
            return candidates;
        }, () -> jwks.get(rsaSigningKeys, null).size(), "JWKS at " + jwksUri);
    }

    /**
     * One key, as a PEM {@code -----BEGIN PUBLIC KEY-----} block (X.509 SubjectPublicKeyInfo).
     *
     * @throws IllegalArgumentException if the text is not a PEM RSA public key of at least 2048 bits
     */
    public static NimbusRs256Signature fromPem(String pemPublicKey) {
        Objects.requireNonNull(pemPublicKey, "pemPublicKey");
        List<RSASSAVerifier> key = List.of(new RSASSAVerifier(rsaPublicKey(pemPublicKey)));
        // A PEM key has no key id, so nimbus's JWK matching (which requires the token's kid) would never select it:
        // the one published key is the candidate for every token, whatever kid its header names.
        return new NimbusRs256Signature(header -> key, () -> 1, "PEM public key");
    }

    /**
     * Whether tokens can be verified now, for a readiness check: the number of the portal's RSA signing keys at hand.
     * From JWKS, through the same cache as verification (a check fetches only when verification would, and warms the
     * cache for it); a PEM key was checked when it was read.
     *
     * @return a short description, e.g. {@code 2 RSA keys from JWKS at https://…}
     * @throws KeysUnavailableException when the JWKS cannot be fetched or holds no RSA signing key
     */
    public String keysAtHand() throws KeysUnavailableException {
        int count;
        try {
            count = available.now();
        } catch (RateLimitReachedException e) {
            // nimbus refuses to fetch again so soon after a fetch that found nothing it could use.
            throw new KeysUnavailableException("the keys from " + source + " were fetched moments ago and held none "
                    + "that could be used");
        } catch (KeySourceException e) {
            throw new KeysUnavailableException("cannot load the portal's signing keys from " + source + ": "
                    + e.getMessage());
        }
        if (count == 0) {
            throw new KeysUnavailableException(source + " holds no RSA signing key");
        }
        return count + (count == 1 ? " RSA key from " : " RSA keys from ") + source;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only the RS256 JWS algorithm is supported";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return ALGORITHM.equals(algorithm);
    }

    /** VERIFIED only for an RS256 signature by one of the portal's keys; never an exception. */
    @Override
    public SignatureVerdict judge(SignedJWT jwt) {
        if (!ALGORITHM.equals(jwt.getHeader().getAlgorithm())) {
            return SignatureVerdict.ALGORITHM;
        }
        try {
            List<RSASSAVerifier> candidates = keys.candidatesFor(jwt.getHeader());
            if (candidates.isEmpty()) {
                return SignatureVerdict.UNKNOWN_KEY;
            }
            for (RSASSAVerifier candidate : candidates) {
                if (jwt.verify(candidate)) {
                    return SignatureVerdict.VERIFIED;
                }
            }
            return SignatureVerdict.SIGNATURE;
        } catch (RateLimitReachedException e) {
            // The keys were fetched moments ago and this key id was not among them: a forged or stale kid, not an
            // outage (else a stream of made-up key ids would look like the portal being down).
            return SignatureVerdict.UNKNOWN_KEY;
        } catch (KeySourceException e) {
            // Every token fails while this lasts: operators must see it. The message names the JWKS URL, no token.
            LOG.warn("Cannot load the portal's signing keys from {}: {}", source, e.getMessage());
            return SignatureVerdict.KEYS_UNAVAILABLE;
        } catch (JOSEException | IllegalStateException e) {
            LOG.debug("Token signature not verified: {}", e.getClass().getSimpleName());
            return SignatureVerdict.SIGNATURE;
        }
    }

    @Override
    public String toString() {
        return "NimbusRs256Signature[" + source + "]";
    }

    /** A verifier for a published key strong enough to trust; empty for a weaker or broken one: it verifies nothing. */
    private static Optional<RSASSAVerifier> verifierFor(RSAKey jwk) {
        try {
            RSAPublicKey key = jwk.toRSAPublicKey();
            return strongEnough(key) ? Optional.of(new RSASSAVerifier(key)) : Optional.empty();
        } catch (JOSEException malformed) {
            return Optional.empty();
        }
    }

    private static RSAPublicKey rsaPublicKey(String pem) {
        Matcher matcher = PEM_PUBLIC_KEY.matcher(pem.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "the portal's public key is one PEM '-----BEGIN PUBLIC KEY-----' block (X.509 SubjectPublicKeyInfo)");
        }
        RSAPublicKey key;
        try {
            byte[] der = Base64.getMimeDecoder().decode(matcher.group(1));
            key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the portal's public key is not an RSA public key (PEM, X.509 SubjectPublicKeyInfo)", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no RSA", e);
        }
        if (!strongEnough(key)) {
            throw new IllegalArgumentException("the portal's public key has " + key.getModulus().bitLength()
                    + " bits; an RSA signing key has at least " + MIN_KEY_BITS);
        }
        return key;
    }

    private static boolean strongEnough(RSAPublicKey key) {
        return key.getModulus().bitLength() >= MIN_KEY_BITS;
    }

    private static int millis(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the JWKS " + what + " is positive and below 24 days, got " + duration);
        }
        return (int) duration.toMillis();
    }

    private static URL url(URI uri) {
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the JWKS URI is an absolute http(s) URL: " + uri);
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWKS URI is an absolute http(s) URL: " + uri, e);
        }
    }
}
