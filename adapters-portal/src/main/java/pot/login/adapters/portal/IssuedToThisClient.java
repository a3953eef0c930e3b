package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.port.out.TokenCheck;

/**
 * A token is ours only if it was issued to this client: its {@code azp} (authorized party, OIDC Core §2), where
 * present, names our client id; where there is none, its {@code aud} (a string or an array, RFC 7519 §4.1.3) contains
 * it. Replaces micronaut-security-jwt's audience check, which looks at {@code aud} alone: many servers put a resource
 * ({@code account}, an API name) in every access token's {@code aud}, for every client of the realm, so an {@code aud}
 * check set to that resource accepts a token issued to any other client. Where {@code azp} is present it decides,
 * whatever {@code aud} says, so such a token is refused.
 */
public final class IssuedToThisClient implements GenericJwtClaimsValidator<HttpRequest<?>> {

    static final String AUTHORIZED_PARTY = "azp";

    private final String clientId;

    public IssuedToThisClient(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is blank");
        }
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        return refusal(claims).isEmpty();
    }

    /** The check these claims fail, if any: a present {@code azp} must be ours; without one, {@code aud} must hold us. */
    Optional<TokenCheck> refusal(Claims claims) {
        Object authorizedParty = claims.get(AUTHORIZED_PARTY);
        if (authorizedParty != null) {
            // A blank or non-string azp names no client we can compare: not ours, rather than "absent".
            return clientId.equals(authorizedParty) ? Optional.empty() : Optional.of(TokenCheck.AUTHORIZED_PARTY);
        }
        return audienceNamesUs(claims.get(Claims.AUDIENCE)) ? Optional.empty() : Optional.of(TokenCheck.AUDIENCE);
    }

    /** Our client id, for the log of a refused token. */
    String clientId() {
        return clientId;
    }

    private boolean audienceNamesUs(Object audience) {
        return switch (audience) {
            case String single -> clientId.equals(single);
            case Collection<?> many -> many.contains(clientId);
            case null, default -> false;
        };
    }
}
