package pot.login.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The portal's token-signing key: RSA 2048, generated at start and kept in memory only, so no private key ever lands
 * on disk or in source control. Created with the context ({@code @Context}) so the first sign-in does not wait for it.
 */
@Context
class SigningKey {

    private static final int KEY_SIZE_BITS = 2048;

    private final RSAKey key;

    SigningKey() {
        try {
            key = new RSAKeyGenerator(KEY_SIZE_BITS)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the token-signing key", e);
        }
    }

    /** A token with these claims, as this portal signs every token: RS256 with this key, its key id, type JWT. */
    String sign(JWTClaimsSet claims) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT token = new SignedJWT(header, claims);
        try {
            token.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return token.serialize();
    }

    /** The public key as a JWK Set (RFC 7517). */
    JWKSet publicJwks() {
        return new JWKSet(key).toPublicJWKSet();
    }

    /** The public key as PEM (X.509 SubjectPublicKeyInfo), as Platform of Trust published theirs. */
    String publicKeyPem() {
        try {
            byte[] der = key.toRSAPublicKey().getEncoded();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
            return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot encode the public key", e);
        }
    }
}
