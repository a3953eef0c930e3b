package pot.login.app;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import pot.login.adapters.portal.ClientAuthentication;

/**
 * Everything under {@code pot-login.*}; see docs/configuration.md. Plain getters and setters because Micronaut binds
 * them from YAML, system properties and environment variables alike ({@code POT_LOGIN_CLIENT_SECRET} →
 * {@code pot-login.client-secret}). Values are checked where they are turned into domain values, which say what is
 * wrong in their own words.
 */
@ConfigurationProperties("pot-login")
public class PotLoginConfiguration {

    private URI apiRoot;
    private URI authorizeUri;
    private String tokenPath = "/api/auth/v1/oauth/token/request";
    private String mePath = "/api/me";
    private String clientId;
    private String clientSecret;
    private ClientAuthentication clientAuthentication = ClientAuthentication.CLIENT_SECRET_POST;
    private URI redirectUri;
    private String issuer;
    private URI jwksUri;
    private String publicKeyPem;
    private String sessionCookieName = "__Host-pot-session";
    private boolean callbackIssuerRequired;
    private boolean pkce = true;
    private int maxConcurrentLogins = 5;
    private long usedStatesMaximumSize = 100_000;
    private Duration userCacheTtl = Duration.ofSeconds(30);
    private Duration signatureCacheTtl = Duration.ofMinutes(5);
    private Map<String, String> authorizeExtraParameters = new LinkedHashMap<>();
    private State state = new State();

    /** More parameters for the authorize URL, e.g. the Platform of Trust portal's grant_type and cancel_url. */
    public Map<String, String> getAuthorizeExtraParameters() {
        return authorizeExtraParameters;
    }

    public void setAuthorizeExtraParameters(Map<String, String> authorizeExtraParameters) {
        this.authorizeExtraParameters = authorizeExtraParameters;
    }

    public boolean isCallbackIssuerRequired() {
        return callbackIssuerRequired;
    }

    public void setCallbackIssuerRequired(boolean callbackIssuerRequired) {
        this.callbackIssuerRequired = callbackIssuerRequired;
    }

    public boolean isPkce() {
        return pkce;
    }

    public void setPkce(boolean pkce) {
        this.pkce = pkce;
    }

    public int getMaxConcurrentLogins() {
        return maxConcurrentLogins;
    }

    public void setMaxConcurrentLogins(int maxConcurrentLogins) {
        this.maxConcurrentLogins = maxConcurrentLogins;
    }

    /** How long the portal's "who is this token" answer is reused; 0 asks the portal on every page view. */
    public Duration getUserCacheTtl() {
        return userCacheTtl;
    }

    public void setUserCacheTtl(Duration userCacheTtl) {
        this.userCacheTtl = userCacheTtl;
    }

    public Duration getSignatureCacheTtl() {
        return signatureCacheTtl;
    }

    public void setSignatureCacheTtl(Duration signatureCacheTtl) {
        this.signatureCacheTtl = signatureCacheTtl;
    }

    public long getUsedStatesMaximumSize() {
        return usedStatesMaximumSize;
    }

    public void setUsedStatesMaximumSize(long usedStatesMaximumSize) {
        this.usedStatesMaximumSize = usedStatesMaximumSize;
    }

    @Nullable
    public URI getApiRoot() {
        return apiRoot;
    }

    public void setApiRoot(@Nullable URI apiRoot) {
        this.apiRoot = apiRoot;
    }

    @Nullable
    public URI getAuthorizeUri() {
        return authorizeUri;
    }

    public void setAuthorizeUri(@Nullable URI authorizeUri) {
        this.authorizeUri = authorizeUri;
    }

    public String getTokenPath() {
        return tokenPath;
    }

    public void setTokenPath(String tokenPath) {
        this.tokenPath = tokenPath;
    }

    public String getMePath() {
        return mePath;
    }

    public void setMePath(String mePath) {
        this.mePath = mePath;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public ClientAuthentication getClientAuthentication() {
        return clientAuthentication;
    }

    public void setClientAuthentication(ClientAuthentication clientAuthentication) {
        this.clientAuthentication = clientAuthentication;
    }

    @Nullable
    public URI getRedirectUri() {
        return redirectUri;
    }

    public void setRedirectUri(@Nullable URI redirectUri) {
        this.redirectUri = redirectUri;
    }

    /** The {@code iss} of the portal's tokens; by default the API root. */
    public String getIssuer() {
        return issuer != null || apiRoot == null ? issuer : apiRoot.toString();
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    /** By default {@code {api-root}/keys/jwks.json}. */
    @Nullable
    public URI getJwksUri() {
        return jwksUri != null || apiRoot == null ? jwksUri : URI.create(apiRoot + "/keys/jwks.json");
    }

    public void setJwksUri(@Nullable URI jwksUri) {
        this.jwksUri = jwksUri;
    }

    @Nullable
    public String getPublicKeyPem() {
        return publicKeyPem;
    }

    public void setPublicKeyPem(@Nullable String publicKeyPem) {
        this.publicKeyPem = publicKeyPem;
    }

    public String getSessionCookieName() {
        return sessionCookieName;
    }

    public void setSessionCookieName(String sessionCookieName) {
        this.sessionCookieName = sessionCookieName;
    }

    public State getState() {
        return state;
    }

    public void setState(State state) {
        this.state = state;
    }

    /**
     * {@code pot-login.state.*}: which key signs states, and how long a state lives. The keys themselves
     * ({@code keys.<id>}, {@code retired.<id>}) are read by {@link StateKeySettings}: a map bound here would not keep
     * an id such as {@code prod-2} intact when it comes from an environment variable.
     */
    @ConfigurationProperties("state")
    public static class State {

        private String signingKeyId;
        private Duration maxAge = Duration.ofMinutes(10);
        private Duration allowedClockSkew = Duration.ofSeconds(30);

        public String getSigningKeyId() {
            return signingKeyId;
        }

        public void setSigningKeyId(String signingKeyId) {
            this.signingKeyId = signingKeyId;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public Duration getAllowedClockSkew() {
            return allowedClockSkew;
        }

        public void setAllowedClockSkew(Duration allowedClockSkew) {
            this.allowedClockSkew = allowedClockSkew;
        }
    }
}
