package pot.login.domain.flow;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
            "redirect_uri", "state", "code_challenge", "code_challenge_method", "nonce");

    /** The authorize parameter whose {@code openid} value makes the login OpenID Connect (OIDC Core §3.1.2.1). */
    public static final String SCOPE = "scope";
    private static final String OPENID = "openid";

    /** Each login under way holds a flow cookie, and RFC 6265 §6.1 asks browsers to keep only 50 per domain. */
    public static final int MAX_CONCURRENT_LOGINS = 20;

    // RFC 6265 cookie-name is an RFC 7230 token.
    private static final Pattern COOKIE_NAME = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]+");

    public LoginSettings {
        Objects.requireNonNull(authorizeUri, "authorizeUri");
        Objects.requireNonNull(sessionCookieName, "sessionCookieName");
        Objects.requireNonNull(issuer, "issuer");
        requireCallbackUri("the authorize URI", authorizeUri);
        checkRedirectUri(redirectUri);
        checkClientId(clientId);
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("the issuer is blank");
        }
        if (!COOKIE_NAME.matcher(sessionCookieName).matches()) {
            throw new IllegalArgumentException("the session cookie name is not an RFC 6265 cookie name: "
                    + sessionCookieName);
        }
        if (maxConcurrentLogins < 1 || maxConcurrentLogins > MAX_CONCURRENT_LOGINS) {
            throw new IllegalArgumentException("the number of concurrent logins is outside 1 to "
                    + MAX_CONCURRENT_LOGINS + ": " + maxConcurrentLogins);
        }
        Objects.requireNonNull(extraAuthorizeParameters, "extraAuthorizeParameters");
        for (String name : extraAuthorizeParameters.keySet()) {
            if (STANDARD_AUTHORIZE_PARAMETERS.contains(name)) {
                throw new IllegalArgumentException("the authorize parameter '" + name + "' is set by the flow itself");
            }
        }
        checkAuthorizeQuery(authorizeUri);
        extraAuthorizeParameters = Collections.unmodifiableMap(new LinkedHashMap<>(extraAuthorizeParameters));
    }

    /**
     * A parameter of the flow's own, or the scope, in the authorize URI's query would reach the portal beside or
     * instead of the flow's: a {@code scope=openid} there makes the portal speak OpenID Connect while the flow,
     * reading only its settings, would neither send a nonce nor check the ID token.
     */
    private static void checkAuthorizeQuery(URI authorizeUri) {
        String query = authorizeUri.getRawQuery();
        if (query == null) {
            return;
        }
        for (String pair : query.split("&")) {
            String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
            if (STANDARD_AUTHORIZE_PARAMETERS.contains(name) || SCOPE.equals(name)) {
                throw new IllegalArgumentException("the authorize URI's query sets '" + name
                        + "', which the flow sets itself or reads from its settings: " + authorizeUri);
            }
        }
    }

    /**
     * The check of a client id, for every value that carries one (the token request's too), so that it is made and
     * worded once.
     */
    public static String checkClientId(String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("the client id is blank");
        }
        return clientId;
    }

    /**
     * The check of a redirect URI, for every value that carries one: the token request must send it exactly as the
     * authorize URL did (RFC 6749 §4.1.3), so both are held to the same rule.
     */
    public static URI checkRedirectUri(URI redirectUri) {
        return requireCallbackUri("the redirect URI", redirectUri);
    }

    private static URI requireCallbackUri(String what, URI uri) {
        Objects.requireNonNull(uri, what);
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException(what + " is not absolute: " + uri);
        }
        // RFC 6749 §3.1.2: the redirection endpoint URI must not include a fragment component.
        if (uri.getFragment() != null) {
            throw new IllegalArgumentException(what + " has a fragment: " + uri);
        }
        return uri;
    }

    /**
     * Whether the login is OpenID Connect: the authorize request's scope contains {@code openid} (OIDC Core §3.1.2.1,
     * a space-delimited list, RFC 6749 §3.3). Then {@code /login} sends a nonce, and the token response must carry an
     * ID token that names it.
     */
    public boolean openIdConnect() {
        String scope = extraAuthorizeParameters.get(SCOPE);
        return scope != null && List.of(scope.split(" ")).contains(OPENID);
    }

    /** Settings without extra authorize parameters. */
    public LoginSettings(URI authorizeUri, String clientId, URI redirectUri, String sessionCookieName, String issuer,
                         boolean callbackIssuerRequired, boolean pkce, int maxConcurrentLogins) {
        this(authorizeUri, clientId, redirectUri, sessionCookieName, issuer, callbackIssuerRequired, pkce,
                maxConcurrentLogins, Map.of());
    }
}
