package pot.login.sandbox;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Issues the portal's access tokens (RS256 JWTs) and verifies them when they come back to {@code /api/me}. */
@Singleton
class AccessTokens {

    /** The claim Platform of Trust tokens carry to say whose they are. */
    static final String TYPE_CLAIM = "type";
    static final String USER_TYPE = "User";

    /** A signed access token; its text never appears in {@link #toString()}, so it cannot leak into a log. */
    record SignedToken(String value, long expiresInSeconds) {
        @Override
        public String toString() {
            return "SignedToken[value=(hidden), expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    private final SigningKey signingKey;
    private final Issuer issuer;
    private final Duration lifetime;
    private final Clock clock;

    AccessTokens(SigningKey signingKey, Issuer issuer, SandboxSettings settings) {
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.lifetime = Duration.ofSeconds(settings.tokenLifetime().toSeconds());
        this.clock = settings.clock();
    }

    SignedToken issue(DemoUser user, String clientId) {
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(user.username())
                .audience(clientId)
                .issuer(issuer.value())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .claim(TYPE_CLAIM, USER_TYPE)
                // RFC 7519 §4.1.7 (required by RFC 9068): two sign-ins within one second are two sessions, so that
                // signing one out, which remembers the token's digest, leaves the other alone.
                .jwtID(UUID.randomUUID().toString())
                .build();
        return new SignedToken(signingKey.sign(claims), lifetime.toSeconds());
    }

    /**
     * An OpenID Connect ID token (OIDC Core §2) for this user and client, signed like the access tokens: {@code iss},
     * {@code sub}, {@code aud} and {@code azp} the client, {@code iat}, {@code exp}, and the request's nonce if it had
     * one.
     */
    String idToken(DemoUser user, String clientId, String nonce) {
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer.value())
                .subject(user.username())
                .audience(clientId)
                .claim("azp", clientId)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)));
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return signingKey.sign(claims.build());
    }

    /** The subject of a token this portal issued and that has not expired; empty for anything else. */
    Optional<String> verify(String token) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(signingKey.publicJwks())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(issuer.value()).claim(TYPE_CLAIM, USER_TYPE).build(),
                Set.of("sub", "aud", "iat", "exp")) {
            // The sandbox's clock, not nimbus's own reading of the system's, decides expiry.
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        // Issuer and verifier share this process's clock: no skew to allow for.
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return Optional.of(processor.process(token, null).getSubject());
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }
}
