package pot.login.domain.flow;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the flow needs to know about this client and the portal.
 *
 * @param authorizeUri          the portal's authorize endpoint (step 3 sends the browser there)
 * @param clientId              this app's client id at the portal
 * @param redirectUri           this app's {@code /login/complete}, exactly as registered at the portal
 * @param sessionCookieName     the name of the session cookie (step 8)
 * @param issuer                the portal's issuer identifier, compared with a callback's {@code iss} (RFC 9207)
 * @param callbackIssuerRequired whether a callback without {@code iss} is refused (for portals that always send it)
 * @param pkce                  whether to use PKCE S256 (RFC 7636); off only for portals that reject it
 * @param maxConcurrentLogins   how many logins one browser may have under way at once (one flow cookie each)
 * @param extraAuthorizeParameters more parameters for the authorize URL, in order, for portals that want them (the
 *                              Platform of Trust portal wanted {@code grant_type=authorization} and {@code cancel_url});
 *                              they cannot replace the standard ones
 */
public record LoginSettings(URI authorizeUri, String clientId, URI redirectUri, String sessionCookieName,
                            String issuer, boolean callbackIssuerRequired, boolean pkce, int maxConcurrentLogins,
                            Map<String, String> extraAuthorizeParameters) {

    /** The parameters that the flow itself sets; an extra parameter may not override them. */
    public static final Set<String> STANDARD_AUTHORIZE_PARAMETERS = Set.of("response_type", "client_id",
            "redirect_uri", "state", "code_challenge", "code_challenge_method");

    // RFC 6265 cookie-name is an RFC 7230 token.
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    public LoginSettings {
        Objects.requireNonNull(authorizeUri, "authorizeUri");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(sessionCookieName, "sessionCookieName");
        Objects.requireNonNull(issuer, "issuer");
        if (!authorizeUri.isAbsolute() || authorizeUri.getFragment() != null) {
            throw new IllegalArgumentException("the authorize URI is absolute and has no fragment: " + authorizeUri);
        }
        if (!redirectUri.isAbsolute() || redirectUri.getFragment() != null) {
            throw new IllegalArgumentException("the redirect URI is absolute and has no fragment: " + redirectUri);
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is not blank");
        }
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("the issuer is not blank");
        }
        if (!COOKIE_NAME.matcher(sessionCookieName).matches()) {
            throw new IllegalArgumentException("not a cookie name: " + sessionCookieName);
        }
        if (maxConcurrentLogins < 1 || maxConcurrentLogins > 20) {
            throw new IllegalArgumentException("maxConcurrentLogins is 1 to 20, got " + maxConcurrentLogins);
        }
        Objects.requireNonNull(extraAuthorizeParameters, "extraAuthorizeParameters");
        for (String name : extraAuthorizeParameters.keySet()) {
            if (STANDARD_AUTHORIZE_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("the authorize parameter '" + name + "' is set by the flow itself");
            }
        }
        extraAuthorizeParameters = Collections.unmodifiableMap(new LinkedHashMap<>(extraAuthorizeParameters));
    }

    /** Settings without extra authorize parameters. */
    public LoginSettings(URI authorizeUri, String clientId, URI redirectUri, String sessionCookieName, String issuer,
                         boolean callbackIssuerRequired, boolean pkce, int maxConcurrentLogins) {
        this(authorizeUri, clientId, redirectUri, sessionCookieName, issuer, callbackIssuerRequired, pkce,
                maxConcurrentLogins, Map.of());
    }
}
