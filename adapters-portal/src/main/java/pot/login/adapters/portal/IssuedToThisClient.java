package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.port.out.TokenCheck;

/**
 * A token is ours only if it was issued to this client. Every claim present that names the client a token was issued
 * to must name ours: {@code azp} (authorized party, OIDC Core §2), {@code client_id} (RFC 9068 §2.2, JWT access
 * tokens; RFC 8693 §4.3), and the vendors' {@code appid} (Microsoft Entra v1) and {@code cid} (Okta). Where none is
 * present, {@code aud} (a string or an array, RFC 7519 §4.1.3) must name our client id and nothing else: a token
 * whose audiences are several was meant for all of them, and without a client claim nothing says it was issued to
 * us rather than to another client that listed us as a resource.
 *
 * <p>Replaces micronaut-security-jwt's audience check, which looks at {@code aud} alone: many servers put a resource
 * ({@code account}, an API name) in every access token's {@code aud}, for every client of the realm, so an {@code aud}
 * check set to that resource accepts a token issued to any other client. Where a client claim is present it decides,
 * whatever {@code aud} says, so such a token is refused.
 */
public final class IssuedToThisClient implements GenericJwtClaimsValidator<HttpRequest<?>> {

    static final String AUTHORIZED_PARTY = "azp";
    /** The claims that name the client a token was issued to, in the order a refusal names them. */
    static final List<String> CLIENT_CLAIMS = List.of(AUTHORIZED_PARTY, "client_id", "appid", "cid");

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

    /**
     * The check these claims fail, if any: each client claim present must be ours; without one, {@code aud} must be
     * ours alone.
     */
    Optional<TokenCheck> refusal(Claims claims) {
        boolean named = false;
        for (String claim : CLIENT_CLAIMS) {
            Object client = claims.get(claim);
            if (client != null) {
                // A blank or non-string value names no client we can compare: not ours, rather than "absent".
                if (!clientId.equals(client)) {
                    return Optional.of(TokenCheck.AUTHORIZED_PARTY);
                }
                named = true;
            }
        }
        if (named) {
            return Optional.empty();
        }
        return audienceIsUsAlone(claims.get(Claims.AUDIENCE)) ? Optional.empty() : Optional.of(TokenCheck.AUDIENCE);
    }

    /** Our client id, for the log of a refused token. */
    String clientId() {
        return clientId;
    }

    private boolean audienceIsUsAlone(Object audience) {
        return switch (audience) {
            case String single -> clientId.equals(single);
            case Collection<?> many -> many.size() == 1 && many.contains(clientId);
            case null, default -> false;
        };
    }
}
