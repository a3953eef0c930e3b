package pot.login.adapters.portal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;

/** Signing keys and tokens as the portal makes them, generated once per test run. */
final class PortalKeys {

    static final String ISSUER = "https://portal.example.test";
    static final String AUDIENCE = "demo-client";

    static final RSAKey PORTAL = generate("portal-2024");
    static final RSAKey ROTATED = generate("portal-2025");
    static final RSAKey STRANGER = generate("portal-2024");

    private PortalKeys() {
    }

    static RSAKey generate(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM {@code PUBLIC KEY} block, as Platform of Trust publishes its key. */
    static String pem(PublicKey key) {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        return "-----BEGIN PUBLIC KEY-----\n" + base64.encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    static String pem(RSAKey key) {
        try {
            return pem(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The claims of a login token: for the demo user, to our client, from the portal, valid for an hour. */
    static JWTClaimsSet.Builder loginClaims() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new JWTClaimsSet.Builder()
                .subject("a8c4a0a2-5b5e-4f8c-9a45-7f0c5c1b7e10")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(1, ChronoUnit.HOURS)))
                .claim("type", "User");
    }

    static SignedJWT signed(RSAKey key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            return signed(new RSASSASigner(key), key.getKeyID(), algorithm, claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static SignedJWT signed(JWSSigner signer, String keyId, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt;
    }

    static SignedJWT rs256(RSAKey key, JWTClaimsSet claims) {
        return signed(key, JWSAlgorithm.RS256, claims);
    }
}
