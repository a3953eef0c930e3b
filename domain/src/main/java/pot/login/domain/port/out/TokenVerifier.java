package pot.login.domain.port.out;

import java.util.Optional;

/**
 * Checks that a token really comes from the portal and is meant for us (signature, issuer, audience, expiry), before
 * it becomes a session: a token that could not be verified later must not sign anyone in now.
 */
public interface TokenVerifier {

    /** The verified claims, or empty if the token is not one to trust. */
    Optional<VerifiedToken> verify(String token);
}
