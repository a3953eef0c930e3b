package pot.login.domain.flow;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the flow needs to know about this client and the portal.
 *
 * @param authorizeUri      the portal's authorize endpoint (step 3 sends the browser there)
 * @param clientId          this app's client id at the portal
 * @param redirectUri       this app's {@code /login/complete}, exactly as registered at the portal
 * @param sessionCookieName the name of the session cookie (step 8)
 */
public record LoginSettings(URI authorizeUri, String clientId, URI redirectUri, String sessionCookieName) {

    // RFC 6265 cookie-name is an RFC 7230 token.
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    public LoginSettings {
        Objects.requireNonNull(authorizeUri, "authorizeUri");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(sessionCookieName, "sessionCookieName");
        if (!authorizeUri.isAbsolute() || authorizeUri.getFragment() != null) {
            throw new IllegalArgumentException("the authorize URI is absolute and has no fragment: " + authorizeUri);
        }
        if (!redirectUri.isAbsolute() || redirectUri.getFragment() != null) {
            throw new IllegalArgumentException("the redirect URI is absolute and has no fragment: " + redirectUri);
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is not blank");
        }
        if (!COOKIE_NAME.matcher(sessionCookieName).matches()) {
            throw new IllegalArgumentException("not a cookie name: " + sessionCookieName);
        }
    }
}
