package pot.login.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import pot.login.adapters.portal.ClientAuthentication;

/**
 * Everything under {@code pot-login.*}, bound once at start and immutable; docs/configuration.md documents every
 * component ({@code ConfigurationDocsTest} holds the two together). Micronaut binds YAML, system properties and
 * environment variables alike ({@code POT_LOGIN_CLIENT_SECRET} → {@code pot-login.client-secret}).
 *
 * <p>Each default is written once, in {@code application.yml}: the framework settings there refer to some of these
 * values by placeholder ({@code ${pot-login.session-cookie-name}}), which a default held only here would not resolve.
 * The only defaults computed here are those that follow the API root, and the token path's: with discovery an
 * explicit token path wins over the discovered token endpoint, so it must be told apart from the default. Nothing is
 * checked while binding, so that the production check can name every problem at once; {@link #required} names a
 * missing setting, and the domain values built from these settings check the rest, each check in one place.
 *
 * @param apiRoot                  the portal's API root: token endpoint, user lookup, keys
 * @param authorizeUri             the portal's authorize page; by default {@code {api-root}/}
 * @param authorizeExtraParameters more parameters for the authorize URL, e.g. Platform of Trust's grant_type
 * @param tokenPath                the token endpoint below the API root; with discovery, wins over the discovered one
 * @param mePath                   the "who is this token" endpoint below the API root
 * @param userLookup               who answers "who is this token": the portal's person, or OIDC userinfo
 * @param userinfoUri              the OIDC userinfo endpoint, absolute; required when the user lookup is userinfo
 * @param clientId                 this app's client id at the portal
 * @param clientSecret             this app's client secret at the portal
 * @param clientAuthentication     how the token request authenticates
 * @param redirectUri              this app's callback, exactly as registered; its origin is the app's public origin
 * @param issuer                   the {@code iss} of the portal's tokens; by default the API root
 * @param discovery                whether the endpoints are read from {@code {issuer}/.well-known/openid-configuration}
 *                                 at start (OIDC Discovery 1.0); explicit authorize and JWKS URIs still win
 * @param jwksUri                  the portal's JWKS; by default {@code {api-root}/keys/jwks.json}
 * @param publicKeyPem             the portal's RS256 key as PEM, used instead of the JWKS when set
 * @param sessionCookieName        the session cookie's name
 * @param callbackIssuerRequired   whether a callback without {@code iss} is refused (RFC 9207)
 * @param pkce                     whether PKCE S256 is used (RFC 7636)
 * @param maxConcurrentLogins      logins one browser may have under way at once
 * @param usedStatesMaximumSize    bound on the in-memory used-state store
 * @param signedOutSessionsMaximumSize bound on the in-memory signed-out-session store
 * @param store                    where the used states are kept: {@code memory} (one instance) or {@code redis}
 * @param userCacheTtl             how long the portal's "who is this token" answer is reused; 0 asks every time
 * @param userCacheMaximumSize     bound on the remembered answers of the portal's user lookup
 * @param signatureCacheTtl        how long a verified token signature is not verified again; 0 verifies every time
 * @param signatureCacheMaximumSize bound on the remembered verified signatures
 * @param requireAccessTokenType   whether an access token must say {@code typ: at+jwt} in its header (RFC 9068 §4)
 * @param strictTransportSecurity  the {@code Strict-Transport-Security} value (RFC 6797); empty sends none
 * @param providerSignOut          whether sign-out continues at the provider's end-session endpoint (RP-Initiated
 *                                 Logout 1.0), where it has one
 * @param endSessionUri            the provider's end-session endpoint; wins over the discovered one
 * @param postLogoutRedirectUri    where the provider sends the browser back; by default the redirect URI's origin + /
 * @param revokeOnSignOut          whether sign-out revokes the refresh and access tokens (RFC 7009), where the
 *                                 provider can
 * @param revocationUri            the provider's revocation endpoint; wins over the discovered one
 * @param state                    {@code pot-login.state.*}
 * @param session                  {@code pot-login.session.*}: renewal from a refresh token (ADR-0007)
 * @param redis                    {@code pot-login.redis.*}, read when the store is {@code redis}
 * @param health                   {@code pot-login.health.*}: how often and how long readiness asks the portal and store
 */
@ConfigurationProperties(PotLoginConfiguration.PREFIX)
public record PotLoginConfiguration(
        @Nullable URI apiRoot,
        @Nullable URI authorizeUri,
        // RAW: the parameter names go into the URL as written (grant_type), not hyphenated as Micronaut's keys are.
        @Nullable @MapFormat(keyFormat = StringConvention.RAW) Map<String, String> authorizeExtraParameters,
        @Nullable String tokenPath,
        String mePath,
        UserLookup userLookup,
        @Nullable URI userinfoUri,
        @Nullable String clientId,
        @Nullable String clientSecret,
        ClientAuthentication clientAuthentication,
        @Nullable URI redirectUri,
        @Nullable String issuer,
        boolean discovery,
        @Nullable URI jwksUri,
        @Nullable String publicKeyPem,
        @Nullable String sessionCookieName,
        boolean callbackIssuerRequired,
        boolean pkce,
        int maxConcurrentLogins,
        long usedStatesMaximumSize,
        long signedOutSessionsMaximumSize,
        Store store,
        Duration userCacheTtl,
        long userCacheMaximumSize,
        Duration signatureCacheTtl,
        long signatureCacheMaximumSize,
        boolean requireAccessTokenType,
        @Nullable String strictTransportSecurity,
        boolean providerSignOut,
        @Nullable URI endSessionUri,
        @Nullable URI postLogoutRedirectUri,
        boolean revokeOnSignOut,
        @Nullable URI revocationUri,
        State state,
        SessionRenewalSettings session,
        Redis redis,
        Health health) {

    static final String PREFIX = "pot-login";

    // The settings that messages name; ConfigurationDocsTest checks that each is a real one.
    public static final String ENABLED = PREFIX + ".enabled";
    public static final String API_ROOT = PREFIX + ".api-root";
    static final String AUTHORIZE_URI = PREFIX + ".authorize-uri";
    static final String CLIENT_ID = PREFIX + ".client-id";
    static final String CLIENT_SECRET = PREFIX + ".client-secret";
    static final String REDIRECT_URI = PREFIX + ".redirect-uri";
    static final String ISSUER = PREFIX + ".issuer";
    static final String DISCOVERY = PREFIX + ".discovery";
    static final String JWKS_URI = PREFIX + ".jwks-uri";
    static final String PUBLIC_KEY_PEM = PREFIX + ".public-key-pem";
    static final String SESSION_COOKIE_NAME = PREFIX + ".session-cookie-name";
    static final String PKCE = PREFIX + ".pkce";
    static final String CLIENT_AUTHENTICATION = PREFIX + ".client-authentication";
    static final String SIGNING_KEY_ID = PREFIX + ".state.signing-key-id";
    public static final String SANDBOX_START = PREFIX + ".sandbox.start";
    static final String STORE = PREFIX + ".store";
    static final String REDIS_URI = PREFIX + ".redis.uri";
    static final String USERINFO_URI = PREFIX + ".userinfo-uri";
    static final String USER_LOOKUP = PREFIX + ".user-lookup";
    static final String END_SESSION_URI = PREFIX + ".end-session-uri";
    static final String REVOCATION_URI = PREFIX + ".revocation-uri";
    static final String REFRESH_COOKIE_KEY_ID = PREFIX + ".session.refresh-cookie-key-id";
    static final String TOKEN_PATH = PREFIX + ".token-path";

    public PotLoginConfiguration {
        authorizeExtraParameters = authorizeExtraParameters == null ? Map.of() : Map.copyOf(authorizeExtraParameters);
    }

    /** {@code pot-login.client-id (POT_LOGIN_CLIENT_ID)}: the setting as written in YAML and in the environment. */
    static String named(String setting) {
        return setting + " (" + setting.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_') + ")";
    }

    /** The value of a setting that has no default, or a start-up failure that names it. */
    static <T> T required(@Nullable T value, String setting) {
        if (value == null || (value instanceof String text && text.isBlank())
                || (value instanceof URI uri && uri.toString().isBlank())) {
            throw new StartFailure(named(setting) + " is missing");
        }
        return value;
    }

    /** Where step 3 sends the browser: the authorize URI, else the API root's {@code /}. */
    public URI authorizeUriOrDefault() {
        return authorizeUri != null ? authorizeUri : required(apiRoot, API_ROOT).resolve("/");
    }

    /** The {@code iss} of the portal's tokens: the issuer, else the API root. */
    public String issuerOrDefault() {
        return issuer != null && !issuer.isBlank() ? issuer : required(apiRoot, API_ROOT).toString();
    }

    /** Step 7's token endpoint below the API root: the token path, else Platform of Trust's. */
    public String tokenPathOrDefault() {
        return tokenPath != null && !tokenPath.isBlank() ? tokenPath : "/api/auth/v1/oauth/token/request";
    }

    /** The portal's JWKS: the JWKS URI, else {@code {api-root}/keys/jwks.json}. */
    public URI jwksUriOrDefault() {
        return jwksUri != null ? jwksUri : URI.create(required(apiRoot, API_ROOT) + "/keys/jwks.json");
    }

    /** Where the provider sends the browser after its sign-out: the setting, else the app's public origin + {@code /}. */
    public URI postLogoutRedirectUriOrDefault() {
        return postLogoutRedirectUri != null ? postLogoutRedirectUri
                : required(redirectUri, REDIRECT_URI).resolve("/");
    }

    public boolean hasPublicKeyPem() {
        return publicKeyPem != null && !publicKeyPem.isBlank();
    }

    /**
     * {@code pot-login.state.*}: which key signs states, and how long a state lives. The keys themselves
     * ({@code keys.<id>}, {@code retired.<id>}) are read by {@link StateKeySettings}: a map bound here would not keep
     * an id such as {@code prod-2} intact when it comes from an environment variable.
     *
     * @param signingKeyId     the id of the key that signs new states
     * @param maxAge           how long a login may take between {@code /login} and {@code /login/complete}
     * @param allowedClockSkew how far in the future a state's issue time may be
     */
    @ConfigurationProperties("state")
    public record State(@Nullable String signingKeyId, Duration maxAge, Duration allowedClockSkew) {
    }

    /**
     * {@code pot-login.session.*}: how a session renews itself from a refresh token (ADR-0007). The keys
     * ({@code refresh-cookie-keys.<id>}) are read by name in {@code LoginWiring}; without any, sessions do not renew.
     *
     * @param refreshCookieName  the encrypted refresh cookie's name ({@code __Host-} prefix required)
     * @param refreshCookieKeyId the id of the key that encrypts new refresh cookies; every configured key decrypts
     * @param renewBefore        an access token expiring within this is renewed now
     * @param maxLifetime        the absolute session lifetime from sign-in: no renewal goes past it
     */
    @ConfigurationProperties("session")
    public record SessionRenewalSettings(String refreshCookieName, @Nullable String refreshCookieKeyId, Duration renewBefore,
                                         Duration maxLifetime) {
    }

    /** Where the used states are kept. */
    public enum Store {
        /** This process's memory (Caffeine): right for one instance. */
        MEMORY,
        /** A Redis server shared by every instance, so that a replay fails at each of them. */
        REDIS
    }

    /** Who answers "who is this token" ({@code /me}, the demo page). */
    public enum UserLookup {
        /** The Platform of Trust portal's JSON-LD person at {@code {api-root}{me-path}}. */
        PORTAL_PERSON,
        /** An OpenID Connect provider's userinfo endpoint (OIDC Core §5.3) at {@code userinfo-uri}. */
        OIDC_USERINFO
    }

    /**
     * {@code pot-login.redis.*}: the server of the {@code redis} store, and bounded waits for it. A login waits at most
     * about one connect and one command timeout before it fails closed with 503.
     *
     * @param uri            {@code redis://host:port} or {@code rediss://…}; required when the store is {@code redis}
     * @param connectTimeout how long to wait for a connection
     * @param commandTimeout how long to wait for Redis to answer one command
     */
    @ConfigurationProperties("redis")
    public record Redis(@Nullable URI uri, Duration connectTimeout, Duration commandTimeout) {
    }

    /**
     * {@code pot-login.health.*}: the readiness checks of the portal's keys and of the store (docs/operations.md).
     *
     * @param cacheTtl how long one answer of each check is reused: probes, however frequent, ask once per this
     * @param timeout  how long a probe waits for a check; beyond it the check is DOWN
     */
    @ConfigurationProperties("health")
    public record Health(Duration cacheTtl, Duration timeout) {
    }
}
