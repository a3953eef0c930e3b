package pot.login.bench;

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
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.security.authentication.AuthenticationFailed;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.oauth2.endpoint.authorization.state.State;
import io.micronaut.security.oauth2.endpoint.token.response.OauthAuthenticationMapper;
import io.micronaut.security.oauth2.endpoint.token.response.TokenResponse;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What a micronaut-security-oauth2 app writes for a plain OAuth 2.0 provider: token response to user. It verifies the
 * access token (RS256 with the published JWKS, issuer, audience, expiry) as pot-login does (the interop test's
 * mapper), then asks the portal who the user is ({@code GET /api/me} with the token), the usual way such a mapper
 * gets a user's name; pot-login makes the same call, on {@code /me}. So both do the same portal work per sign-in.
 */
@Singleton
@Named("sandbox")
@Requires(property = PeerApp.ENABLED, value = "true")
class PeerAuthenticationMapper implements OauthAuthenticationMapper {

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();
    private final HttpClient portal;

    PeerAuthenticationMapper(@Client("${bench.peer.api-root}") HttpClient portal,
                             @Value("${bench.peer.jwks-uri}") URI jwksUri,
                             @Value("${bench.peer.issuer}") String issuer,
                             @Value("${micronaut.security.oauth2.clients.sandbox.client-id}") String clientId)
            throws MalformedURLException {
        this.portal = portal;
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwksUri.toURL()).build();
        tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
        tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(clientId,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp")));
    }

    @Override
    public Publisher<AuthenticationResponse> createAuthenticationResponse(TokenResponse tokenResponse,
                                                                          @Nullable State state) {
        String token = tokenResponse.getAccessToken();
        // Fetching the JWKS blocks: not on the HTTP client's event loop.
        return Mono.fromCallable(() -> tokens.process(token, null))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(claims -> Mono.from(portal.retrieve(HttpRequest.GET("/api/me").bearerAuth(token)
                                .accept(MediaType.APPLICATION_JSON_TYPE), JSON_OBJECT))
                        .map(person -> signedIn(claims, person)))
                .onErrorResume(e -> Mono.just(
                        new AuthenticationFailed("the sandbox's token or user lookup failed: " + e.getMessage())));
    }

    private static AuthenticationResponse signedIn(JWTClaimsSet claims, Map<String, Object> person) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put(PROVIDER_KEY, "sandbox");
        attributes.put("name", (person.getOrDefault("firstName", "") + " " + person.getOrDefault("lastName", ""))
                .trim());
        return AuthenticationResponse.success(claims.getSubject(), attributes);
    }
}
