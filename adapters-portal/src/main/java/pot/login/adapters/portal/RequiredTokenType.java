package pot.login.adapters.portal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import java.util.Locale;
import java.util.Objects;

/**
 * RFC 9068 §4: an access token in the JWT profile says so in its JOSE header, {@code typ: at+jwt}, so that an ID token
 * or another JWT signed by the same keys cannot be replayed as one (RFC 8725 §3.11). In front of the portal's
 * signature check, for access tokens only: at sign-in and on every request that brings the session cookie. An ID token
 * is checked against the keys alone ({@link #keys()}).
 */
public final class RequiredTokenType implements JudgedSignature {

    /** RFC 9068 §2.1. */
    public static final String AT_JWT = "at+jwt";
    /** RFC 7515 §4.1.9: a media type may be written with its {@code application/} prefix, in any case. */
    private static final String APPLICATION = "application/";

    private final SignatureConfiguration keys;

    public RequiredTokenType(SignatureConfiguration keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The signature check without the type rule. */
    public SignatureConfiguration keys() {
        return keys;
    }

    /** Whether a header {@code typ} is {@code at+jwt}, ignoring case and an {@code application/} prefix. */
    static boolean isAccessTokenType(JOSEObjectType type) {
        if (type == null) {
            return false;
        }
        String value = type.getType().toLowerCase(Locale.ROOT);
        return value.equals(AT_JWT) || value.equals(APPLICATION + AT_JWT);
    }

    @Override
    public SignatureVerdict judge(SignedJWT jwt) {
        if (!isAccessTokenType(jwt.getHeader().getType())) {
            return SignatureVerdict.TOKEN_TYPE;
        }
        if (keys instanceof JudgedSignature judged) {
            return judged.judge(jwt);
        }
        try {
            return keys.verify(jwt) ? SignatureVerdict.VERIFIED : SignatureVerdict.SIGNATURE;
        } catch (JOSEException e) {
            return SignatureVerdict.SIGNATURE;
        }
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return keys.supportedAlgorithmsMessage();
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return keys.supports(algorithm);
    }

    @Override
    public String toString() {
        return "RequiredTokenType[" + AT_JWT + ", " + keys + "]";
    }
}
