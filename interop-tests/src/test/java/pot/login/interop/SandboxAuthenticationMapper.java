package pot.login.interop;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.AuthenticationFailed;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.oauth2.endpoint.authorization.state.State;
import io.micronaut.security.oauth2.endpoint.token.response.OauthAuthenticationMapper;
import io.micronaut.security.oauth2.endpoint.token.response.TokenResponse;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The one piece a micronaut-security-oauth2 application writes for a plain OAuth 2.0 (not OpenID Connect) provider:
 * from the token response to a user. It trusts the sandbox's access token only after verifying it as any client
 * would, with the sandbox's published JWKS: RS256 signature, exact issuer, this client as audience, subject and expiry.
 * Only the client app of {@link MicronautOauthClientAgainstSandboxTest} has it.
 */
@Singleton
@Named("sandbox")
@Requires(property = "spec.name", value = MicronautOauthClientAgainstSandboxTest.SPEC)
class SandboxAuthenticationMapper implements OauthAuthenticationMapper {

    private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();

    SandboxAuthenticationMapper(@Value("${interop.sandbox.jwks-uri}") URI jwksUri,
                                @Value("${interop.sandbox.issuer}") String issuer,
                                @Value("${micronaut.security.oauth2.clients.sandbox.client-id}") String clientId)
            throws MalformedURLException {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL()).build();
        tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    @Override
    public Publisher<AuthenticationResponse> createAuthenticationResponse(TokenResponse tokenResponse,
                                                                          @Nullable State state) {
        // Fetching the JWKS blocks: not on the HTTP client's event loop.
        return Mono.fromCallable(() -> authenticate(tokenResponse)).subscribeOn(Schedulers.boundedElastic());
    }

    private AuthenticationResponse authenticate(TokenResponse tokenResponse) {
        try {
            JWTClaimsSet claims = tokens.process(tokenResponse.getAccessToken(), null);
            return AuthenticationResponse.success(claims.getSubject(), Map.of(PROVIDER_KEY, "sandbox"));
        } catch (Exception e) {
            return new AuthenticationFailed("the sandbox's access token did not verify: " + e.getMessage());
        }
    }
}
