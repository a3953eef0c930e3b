package pot.login.adapters.portal;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;

/** A signature check that can say why it refused, not only that it did. */
public interface JudgedSignature extends SignatureConfiguration {

    /** The verdict; never an exception. */
    SignatureVerdict judge(SignedJWT jwt);

    @Override
    default boolean verify(SignedJWT jwt) {
        return judge(jwt) == SignatureVerdict.VERIFIED;
    }
}
