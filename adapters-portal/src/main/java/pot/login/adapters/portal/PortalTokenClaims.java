package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.port.out.TokenCheck;

/**
 * The claims checks that micronaut-security-jwt's own validators leave loose, for every token the portal issues (the
 * one of step 7 and the session cookie on every request): the issuer must be exactly ours, and an expiry must be
 * present. The built-in issuer validator accepts any issuer that the configured one merely ends with, and the
 * built-in expiry validator lets a token without {@code exp} pass, which would make a session that never ends.
 */
public final class PortalTokenClaims implements GenericJwtClaimsValidator<HttpRequest<?>> {

    private final String issuer;

    public PortalTokenClaims(String issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("the portal's issuer is blank");
        }
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        return refusal(claims).isEmpty();
    }

    /** Our issuer, for the log of a refused token. */
    String issuer() {
        return issuer;
    }

    /** The check these claims fail, if any: the issuer first, then a missing expiry. */
    Optional<TokenCheck> refusal(Claims claims) {
        if (!issuer.equals(claims.get(Claims.ISSUER))) {
            return Optional.of(TokenCheck.ISSUER);
        }
        return claims.get(Claims.EXPIRATION_TIME) == null ? Optional.of(TokenCheck.EXPIRY) : Optional.empty();
    }
}
