package pot.login.app;

import java.util.Objects;
import pot.login.adapters.portal.NimbusRs256Signature;

/**
 * The portal's token-signing keys (a PEM key, or the JWKS), shared by the verification of tokens and the readiness
 * check. A holder, not a SignatureConfiguration bean itself: micronaut-security-jwt would verify with every such bean.
 */
record PortalKeys(NimbusRs256Signature signature) {
    PortalKeys {
        Objects.requireNonNull(signature, "signature");
    }
}
