package pot.login.adapters.portal;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;

/** The portal's key as the app registers it: the only signature configuration micronaut-security-jwt knows. */
@Requires(property = "spec.name", value = "MicronautSecurityTokenVerifierTest")
@Factory
class TestSignature {

    @Singleton
    SignatureConfiguration portalSignature() {
        return NimbusRs256Signature.fromPem(PortalKeys.pem(PortalKeys.PORTAL));
    }
}
