package pot.login.sandbox;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A client application registered at the portal: its credentials and the redirect URIs it may use, compared by exact
 * string equality (no prefix or pattern matching, as RFC 9700 §2.1 asks).
 */
public record RegisteredClient(String clientId, String clientSecret, List<String> redirectUris) {

    public RegisteredClient {
        requireText(clientId, "clientId");
        requireText(clientSecret, "clientSecret");
        Objects.requireNonNull(redirectUris, "redirectUris");
        redirectUris = List.copyOf(redirectUris);
        if (redirectUris.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + " has no redirect URI");
        }
        redirectUris.forEach(RegisteredClient::requireRedirectUri);
    }

    /** The client of the demo setup. Its secret is public (it is in source control): demo use only. */
    public static RegisteredClient demo() {
        return new RegisteredClient("pot-login-demo", "demo-only-client-secret-do-not-use-in-production",
                List.of("http://localhost:8080/login/complete"));
    }

    boolean allowsRedirectUri(String redirectUri) {
        return redirectUris.contains(redirectUri);
    }

    boolean hasSecret(String candidate) {
        return ConstantTime.equal(clientSecret, candidate);
    }

    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + clientId + ", clientSecret=(hidden), redirectUris=" + redirectUris + "]";
    }

    private static void requireRedirectUri(String redirectUri) {
        URI uri;
        try {
            uri = new URI(redirectUri);
        } catch (Exception e) {
            throw new IllegalArgumentException("redirect URI is not a URI: " + redirectUri, e);
        }
        // RFC 6749 §3.1.2: absolute, no fragment. Only web clients here, so http(s) with a host.
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "the redirect URI is not an absolute http(s) URI without user info or fragment: " + redirectUri);
        }
    }

    static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
