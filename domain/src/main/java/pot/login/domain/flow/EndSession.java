package pot.login.domain.flow;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import pot.login.domain.IdToken;

/**
 * Where the browser continues after our sign-out so that the provider ends its own session too (OpenID Connect
 * RP-Initiated Logout 1.0 §2). No {@code state}: the post-logout page is our home page, which has nothing to check
 * a state against, and a state nobody checks protects nothing.
 *
 * @param endpoint              the provider's {@code end_session_endpoint}
 * @param clientId              our client id, so that the provider can check the post-logout URI without a hint
 * @param postLogoutRedirectUri where the provider sends the browser back; it must be registered there
 */
public record EndSession(URI endpoint, String clientId, URI postLogoutRedirectUri) {

    public EndSession {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(postLogoutRedirectUri, "postLogoutRedirectUri");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is blank");
        }
    }

    /** The end-session URL: the spec's parameters and nothing else; the hint where the ID token was kept. */
    public URI uri(Optional<IdToken> idTokenHint) {
        StringBuilder uri = new StringBuilder(endpoint.toString())
                .append(endpoint.getRawQuery() == null ? '?' : '&')
                .append("client_id=").append(encoded(clientId))
                .append("&post_logout_redirect_uri=").append(encoded(postLogoutRedirectUri.toString()));
        idTokenHint.ifPresent(hint -> uri.append("&id_token_hint=").append(encoded(hint.value())));
        return URI.create(uri.toString());
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
