package pot.login.adapters.portal;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import java.text.ParseException;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.VerifiedToken;

/**
 * Verifies the portal's token with micronaut-security-jwt's validator: the very check that later guards every
 * protected route (signature by the registered {@code SignatureConfiguration}s, then the configured claims validators:
 * expiry, issuer, audience). A token accepted here is therefore one the session cookie will be accepted with.
 */
public final class MicronautSecurityTokenVerifier implements TokenVerifier {

    private final JsonWebTokenValidator<JWT, HttpRequest<?>> validator;

    public MicronautSecurityTokenVerifier(JsonWebTokenValidator<JWT, HttpRequest<?>> validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    public Optional<VerifiedToken> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return validator.validate(token, null)
                // The validator accepts an unsigned JWT when no signature is configured; a login token is always signed.
                .filter(SignedJWT.class::isInstance)
                .flatMap(MicronautSecurityTokenVerifier::claims);
    }

    /**
     * Subject and expiry are required here, not only by configuration: micronaut-security's expiration validator lets
     * a token without {@code exp} pass, and such a token would make a session that never ends.
     */
    private static Optional<VerifiedToken> claims(JWT jwt) {
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String subject = claims.getSubject();
            Date expiresAt = claims.getExpirationTime();
            if (subject == null || subject.isBlank() || expiresAt == null) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedToken(subject, expiresAt.toInstant()));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
