package pot.login.adapters.portal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The part of an OpenID provider configuration (OIDC Discovery 1.0 §3, RFC 8414 §2) that the login uses or checks.
 * Not micronaut-security-oauth2's {@code DefaultOpenIdProviderMetadata}: it has no field for RFC 9207's
 * {@code authorization_response_iss_parameter_supported}.
 */
@Serdeable.Deserializable
@JsonIgnoreProperties(ignoreUnknown = true)
record ProviderMetadata(
        @Nullable String issuer,
        @JsonProperty("authorization_endpoint") @Nullable String authorizationEndpoint,
        @JsonProperty("token_endpoint") @Nullable String tokenEndpoint,
        @JsonProperty("userinfo_endpoint") @Nullable String userinfoEndpoint,
        @JsonProperty("jwks_uri") @Nullable String jwksUri,
        @JsonProperty("end_session_endpoint") @Nullable String endSessionEndpoint,
        @JsonProperty("revocation_endpoint") @Nullable String revocationEndpoint,
        @JsonProperty("code_challenge_methods_supported") @Nullable List<String> codeChallengeMethodsSupported,
        @JsonProperty("token_endpoint_auth_methods_supported") @Nullable List<String> tokenEndpointAuthMethodsSupported,
        @JsonProperty("authorization_response_iss_parameter_supported") @Nullable Boolean issParameterSupported) {
}
