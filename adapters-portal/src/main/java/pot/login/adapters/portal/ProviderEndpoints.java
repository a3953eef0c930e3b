package pot.login.adapters.portal;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the provider's endpoints are, resolved once at start: from its discovery document, each overridden by an
 * explicit setting, or from the explicit settings alone when discovery is off. An endpoint the provider does not have
 * is empty. The lists are what the provider advertises, empty when it says nothing (which OIDC Discovery 1.0 §3 does
 * not read as "unsupported").
 *
 * @param issuer                       the issuer, exactly as the provider's tokens and callbacks name it
 * @param authorization                the authorize endpoint (step 3)
 * @param token                        the token endpoint (step 7): absolute, or a path below the API root
 * @param userinfo                     the OIDC userinfo endpoint, if any
 * @param jwks                         the JWKS, if any (a PEM key may stand in)
 * @param endSession                   the RP-Initiated Logout endpoint, if any
 * @param revocation                   the RFC 7009 revocation endpoint, if any
 * @param codeChallengeMethods         {@code code_challenge_methods_supported}
 * @param tokenEndpointAuthMethods     {@code token_endpoint_auth_methods_supported}
 * @param issParameterSupported        RFC 9207 {@code authorization_response_iss_parameter_supported}
 */
public record ProviderEndpoints(String issuer, URI authorization, URI token, Optional<URI> userinfo, Optional<URI> jwks,
                                Optional<URI> endSession, Optional<URI> revocation, List<String> codeChallengeMethods,
                                List<String> tokenEndpointAuthMethods, boolean issParameterSupported) {

    public ProviderEndpoints {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorization, "authorization");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(userinfo, "userinfo");
        Objects.requireNonNull(jwks, "jwks");
        Objects.requireNonNull(endSession, "endSession");
        Objects.requireNonNull(revocation, "revocation");
        codeChallengeMethods = List.copyOf(codeChallengeMethods);
        tokenEndpointAuthMethods = List.copyOf(tokenEndpointAuthMethods);
    }

    /** The same endpoints, each replaced by its explicit setting where that is set (null keeps the endpoint). */
    public ProviderEndpoints overriddenBy(@Nullable URI authorization, @Nullable URI token, @Nullable URI userinfo,
                                          @Nullable URI jwks, @Nullable URI endSession, @Nullable URI revocation) {
        return new ProviderEndpoints(issuer, authorization != null ? authorization : this.authorization,
                token != null ? token : this.token, or(userinfo, this.userinfo), or(jwks, this.jwks),
                or(endSession, this.endSession), or(revocation, this.revocation), codeChallengeMethods,
                tokenEndpointAuthMethods, issParameterSupported);
    }

    private static Optional<URI> or(@Nullable URI explicit, Optional<URI> discovered) {
        return explicit != null ? Optional.of(explicit) : discovered;
    }

    /** An absolute http(s) URL with a host, or an exception that names what and the URL. */
    static URI requireHttpUrl(URI uri, String what) {
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("the " + what + " is not an absolute http(s) URL: '" + uri + "'");
        }
        return uri;
    }
}
