package pot.login.adapters.portal;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

/**
 * The portal's key and claims check as the app registers them: the only signature configuration micronaut-security-jwt
 * knows, and the exact issuer and azp/aud checks in place of its own.
 */
@Requires(property = "spec.name", value = "MicronautSecurityTokenVerifierTest")
@Factory
class TestSignature {

    @Singleton
    SignatureConfiguration portalSignature() {
        return NimbusRs256Signature.fromPem(PortalKeys.pem(PortalKeys.PORTAL));
    }

    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> portalTokenClaims() {
        return new PortalTokenClaims(PortalKeys.ISSUER);
    }

    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> issuedToThisClient() {
        return new IssuedToThisClient(PortalKeys.AUDIENCE);
    }
}
