package pot.login.domain.port.out;

import pot.login.domain.AccessToken;

/**
 * Checks that a token really comes from the portal and is meant for us (signature, issuer, audience, expiry), before
 * it becomes a session: a token that could not be verified later must not sign anyone in now.
 */
public interface TokenVerifier {

    /** Verified with its claims, refused with the check that refused it, or unavailable when keys cannot be had. */
    VerificationResult verify(AccessToken token);
}
