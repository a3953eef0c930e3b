package pot.login.adapters.portal;

import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.loginClaims;
import static pot.login.adapters.portal.PortalKeys.rs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JwtValidator;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.TokenVerifierContract;
import pot.login.domain.port.out.VerifiedToken;

/**
 * The port's contract, with the portal's keys from a JWKS document (so that a key id can be unknown, and the keys
 * can be unreachable) and the claims checks as the app registers them.
 */
@MicronautTest(startApplication = false)
@Property(name = "spec.name", value = "MicronautSecurityTokenVerifierTest")
class MicronautSecurityTokenVerifierContractTest extends TokenVerifierContract {

    private static final JWTClaimsSet GENUINE = loginClaims().build();
    private static HttpServer jwks;

    @Inject
    List<GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators;

    @BeforeAll
    static void publishThePortalsKeys() throws IOException {
        byte[] document = new JWKSet(PORTAL.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(document);
            }
        });
        jwks.start();
    }

    @AfterAll
    static void stopPublishing() {
        jwks.stop(0);
    }

    private TokenVerifier verifierWithKeysAt(URI jwksUri) {
        NimbusRs256Signature signature = NimbusRs256Signature.fromJwksUri(jwksUri, Duration.ofMillis(500),
                Duration.ofSeconds(1), 64 * 1024);
        JwtValidator<HttpRequest<?>> validator = JwtValidator.builder().withSignatures(signature)
                .withClaimValidators(claimsValidators).build();
        return new MicronautSecurityTokenVerifier(validator::validate, signature, claimsValidators);
    }

    @Override
    protected TokenVerifier verifier() {
        return verifierWithKeysAt(URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
    }

    @Override
    protected Optional<TokenVerifier> verifierWhoseKeysAreUnavailable() {
        return Optional.of(verifierWithKeysAt(URI.create(PortalClients.closedPort() + "/jwks.json")));
    }

    @Override
    protected VerifiedToken claimsOfTheGenuineToken() {
        return new VerifiedToken(GENUINE.getSubject(), GENUINE.getExpirationTime().toInstant());
    }

    @Override
    protected AccessToken token(Kind kind) {
        String serialized = switch (kind) {
            case GENUINE -> rs256(PORTAL, GENUINE).serialize();
            case SIGNED_BY_ANOTHER_KEY_WITH_THE_PORTALS_KEY_ID -> rs256(PortalKeys.STRANGER, GENUINE).serialize();
            case SIGNED_BY_A_KEY_ID_THE_PORTAL_DOES_NOT_HAVE -> rs256(PortalKeys.ROTATED, GENUINE).serialize();
            case SIGNED_WITH_ANOTHER_ALGORITHM -> PortalKeys.signed(PORTAL, JWSAlgorithm.RS512, GENUINE).serialize();
            case UNSIGNED -> new PlainJWT(GENUINE).serialize();
            case FROM_ANOTHER_ISSUER -> rs256(PORTAL, loginClaims().issuer("https://evil.example").build()).serialize();
            case FOR_ANOTHER_CLIENT -> rs256(PORTAL, loginClaims().audience("another-client").build()).serialize();
            case EXPIRED -> rs256(PORTAL, loginClaims()
                    .expirationTime(Date.from(Instant.now().minus(1, ChronoUnit.HOURS))).build()).serialize();
            case WITHOUT_AN_EXPIRY -> rs256(PORTAL, loginClaims().expirationTime(null).build()).serialize();
            case WITHOUT_A_SUBJECT -> rs256(PORTAL, loginClaims().subject(null).build()).serialize();
            case NOT_A_TOKEN -> "not-a-jwt";
        };
        return new AccessToken(serialized);
    }
}
