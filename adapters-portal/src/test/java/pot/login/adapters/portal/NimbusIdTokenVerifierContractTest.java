package pot.login.adapters.portal;

import static pot.login.adapters.portal.PortalKeys.AUDIENCE;
import static pot.login.adapters.portal.PortalKeys.ISSUER;
import static pot.login.adapters.portal.PortalKeys.PORTAL;
import static pot.login.adapters.portal.PortalKeys.rs256;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import pot.login.domain.IdToken;
import pot.login.domain.port.out.IdTokenResult;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.IdTokenVerifierContract;

/** The port's contract, with the provider's keys from a JWKS document, as the app loads them for the access token. */
class NimbusIdTokenVerifierContractTest extends IdTokenVerifierContract {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Duration SKEW = Duration.ofSeconds(30);
    static final String NONCE = "n-0S6_WzA2Mj";
    private static HttpServer jwks;

    @BeforeAll
    static void publishTheProvidersKeys() throws IOException {
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

    /** An ID token as OIDC Core §2 shapes it: from the provider, for us, issued now, an hour to live, a nonce. */
    static JWTClaimsSet.Builder idTokenClaims() {
        return new JWTClaimsSet.Builder()
                .subject("a8c4a0a2-5b5e-4f8c-9a45-7f0c5c1b7e10")
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(1, ChronoUnit.HOURS)))
                .claim("nonce", NONCE);
    }

    static IdTokenVerifier verifierWithKeysAt(URI jwksUri, Clock clock) {
        NimbusRs256Signature signature = NimbusRs256Signature.fromJwksUri(jwksUri, Duration.ofMillis(500),
                Duration.ofSeconds(1), 64 * 1024);
        return new NimbusIdTokenVerifier(signature, ISSUER, AUDIENCE, SKEW, clock);
    }

    static URI jwksUri() {
        return URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
    }

    @Override
    protected IdTokenVerifier verifier() {
        return verifierWithKeysAt(jwksUri(), Clock.systemUTC());
    }

    @Override
    protected Optional<IdTokenVerifier> verifierWhoseKeysAreUnavailable() {
        return Optional.of(verifierWithKeysAt(URI.create(PortalClients.closedPort() + "/jwks.json"),
                Clock.systemUTC()));
    }

    @Override
    protected IdTokenResult.VerifiedIdToken claimsOfTheGenuineToken() {
        JWTClaimsSet genuine = idTokenClaims().build();
        // A JWT carries exp in whole seconds.
        return new IdTokenResult.VerifiedIdToken(genuine.getSubject(), Optional.of(NONCE),
                Instant.ofEpochSecond(genuine.getExpirationTime().toInstant().getEpochSecond()));
    }

    @Override
    protected IdToken token(Kind kind) {
        JWTClaimsSet genuine = idTokenClaims().build();
        String serialized = switch (kind) {
            case GENUINE -> rs256(PORTAL, genuine).serialize();
            case FOR_US_AND_ANOTHER_CLIENT_AUTHORIZED_TO_US -> rs256(PORTAL, idTokenClaims()
                    .audience(List.of("another-client", AUDIENCE)).claim("azp", AUDIENCE).build()).serialize();
            case WITHOUT_A_NONCE -> rs256(PORTAL, idTokenClaims().claim("nonce", null).build()).serialize();
            case SIGNED_BY_ANOTHER_KEY_WITH_THE_PROVIDERS_KEY_ID -> rs256(PortalKeys.STRANGER, genuine).serialize();
            case SIGNED_BY_A_KEY_ID_THE_PROVIDER_DOES_NOT_HAVE -> rs256(PortalKeys.ROTATED, genuine).serialize();
            case SIGNED_WITH_ANOTHER_ALGORITHM -> PortalKeys.signed(PORTAL, JWSAlgorithm.RS512, genuine).serialize();
            case UNSIGNED -> new PlainJWT(genuine).serialize();
            case FROM_ANOTHER_ISSUER -> rs256(PORTAL, idTokenClaims().issuer(ISSUER + "/evil").build()).serialize();
            case FOR_ANOTHER_CLIENT -> rs256(PORTAL, idTokenClaims().audience("another-client").build()).serialize();
            case FOR_US_AND_ANOTHER_CLIENT_WITHOUT_AZP -> rs256(PORTAL, idTokenClaims()
                    .audience(List.of(AUDIENCE, "another-client")).build()).serialize();
            case AUTHORIZED_TO_ANOTHER_CLIENT -> rs256(PORTAL, idTokenClaims().claim("azp", "another-client").build())
                    .serialize();
            case EXPIRED -> rs256(PORTAL, idTokenClaims().expirationTime(Date.from(NOW.minusSeconds(1))).build())
                    .serialize();
            case WITHOUT_AN_EXPIRY -> rs256(PORTAL, idTokenClaims().expirationTime(null).build()).serialize();
            case WITHOUT_AN_ISSUE_TIME -> rs256(PORTAL, idTokenClaims().issueTime(null).build()).serialize();
            case ISSUED_IN_THE_FUTURE -> rs256(PORTAL, idTokenClaims()
                    .issueTime(Date.from(NOW.plus(SKEW).plus(1, ChronoUnit.MINUTES))).build()).serialize();
            case WITHOUT_A_SUBJECT -> rs256(PORTAL, idTokenClaims().subject(null).build()).serialize();
            case NOT_A_TOKEN -> "not-a-jwt";
        };
        return new IdToken(serialized);
    }
}
