package pot.login.app;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import jakarta.inject.Singleton;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import pot.login.adapters.http.SameOrigin;
import pot.login.adapters.portal.CaffeineVerifiedSignatures;
import pot.login.adapters.portal.MicronautHttpTokenExchange;
import pot.login.adapters.portal.MicronautHttpUserDirectory;
import pot.login.adapters.portal.MicronautSecurityTokenVerifier;
import pot.login.adapters.portal.NimbusRs256Signature;
import pot.login.adapters.portal.PortalTokenClaims;
import pot.login.adapters.portal.TokenRequestSettings;
import pot.login.adapters.store.CaffeineUsedStates;
import pot.login.adapters.store.CaffeineUserDirectory;
import pot.login.domain.Secret;
import pot.login.domain.flow.LoginFlow;
import pot.login.domain.flow.LoginSettings;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenVerifier;
import pot.login.domain.port.out.UsedStates;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.state.StateKeys;
import pot.login.domain.state.StateSigner;

/**
 * Every bean of the login, wired by hand: reading this class tells you which adapter serves which port. The domain
 * classes carry no annotations, so nothing here is found by scanning.
 */
@Factory
class LoginWiring {

    /** Keys and documents fetched from the portal are small; anything larger is not what we asked for. */
    private static final int MAX_KEY_DOCUMENT_BYTES = 64 * 1024;

    /** The flow is the use cases: it is injected as StartLogin, CompleteLogin, ShowSignedInUser and SignOut. */
    @Singleton
    LoginFlow loginFlow(PotLoginConfiguration config, StateSigner states, UsedStates usedStates,
                        TokenExchange tokenExchange, TokenVerifier tokenVerifier, UserDirectory userDirectory,
                        Clock clock) {
        LoginSettings settings = new LoginSettings(
                authorizeUri(config),
                Settings.require(config.getClientId(), "pot-login.client-id"),
                Settings.require(config.getRedirectUri(), "pot-login.redirect-uri"),
                config.getSessionCookieName(),
                Settings.require(config.getIssuer(), "pot-login.issuer"),
                config.isCallbackIssuerRequired(),
                config.isPkce(),
                config.getMaxConcurrentLogins(),
                config.getAuthorizeExtraParameters() == null ? Map.of() : config.getAuthorizeExtraParameters());
        return new LoginFlow(settings, states, usedStates, tokenExchange, tokenVerifier, userDirectory, clock,
                new SecureRandom());
    }

    /** In this process's memory: right for one instance; several instances need a shared store. */
    @Singleton
    UsedStates usedStates(PotLoginConfiguration config, Clock clock) {
        return new CaffeineUsedStates(config.getUsedStatesMaximumSize(), clock);
    }

    /** Made at start in every setup, so that a key ring that cannot work stops the app before it serves. */
    @Context
    StateSigner stateSigner(PotLoginConfiguration config, Environment environment) {
        PotLoginConfiguration.State state = config.getState();
        StateKeys keys = StateKeySettings.read(environment, state.getSigningKeyId()).stateKeys();
        return new StateSigner(keys, state.getMaxAge(), state.getAllowedClockSkew());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    TokenExchange tokenExchange(@Client(id = "portal") HttpClient portal, PotLoginConfiguration config) {
        return new MicronautHttpTokenExchange(portal, new TokenRequestSettings(
                config.getTokenPath(),
                Settings.require(config.getClientId(), "pot-login.client-id"),
                Secret.of("pot-login.client-secret", Settings.require(config.getClientSecret(),
                        "pot-login.client-secret")),
                Settings.require(config.getRedirectUri(), "pot-login.redirect-uri"),
                config.getClientAuthentication()));
    }

    /** The portal's answer, remembered for {@code user-cache-ttl} (0: ask every time) in front of the HTTP lookup. */
    @Singleton
    UserDirectory userDirectory(@Client(id = "portal") HttpClient portal, PotLoginConfiguration config, Clock clock) {
        UserDirectory lookup = new MicronautHttpUserDirectory(portal, config.getMePath());
        Duration ttl = config.getUserCacheTtl();
        return ttl == null || ttl.isZero() ? lookup
                : new CaffeineUserDirectory(lookup, ttl, config.getUsedStatesMaximumSize(), clock);
    }

    @Singleton
    TokenVerifier tokenVerifier(JsonWebTokenValidator<JWT, HttpRequest<?>> validator, SignatureConfiguration signature,
                                List<GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators) {
        return new MicronautSecurityTokenVerifier(validator, signature, claimsValidators);
    }

    /**
     * The portal's token-signing key, for micronaut-security-jwt: it verifies both the token we are issued in step 7
     * and the session cookie on every protected request. A PEM key (as Platform of Trust publishes) wins over JWKS.
     */
    @Singleton
    SignatureConfiguration portalSignature(PotLoginConfiguration config, Clock clock,
                                           @io.micronaut.context.annotation.Value(
                                                   "${micronaut.http.services.portal.connect-timeout:2s}")
                                           Duration connectTimeout,
                                           @io.micronaut.context.annotation.Value(
                                                   "${micronaut.http.services.portal.read-timeout:5s}")
                                           Duration readTimeout) {
        SignatureConfiguration rs256;
        if (config.getPublicKeyPem() != null && !config.getPublicKeyPem().isBlank()) {
            rs256 = NimbusRs256Signature.fromPem(config.getPublicKeyPem());
        } else {
            URI jwks = Settings.require(config.getJwksUri(), "pot-login.jwks-uri (or pot-login.public-key-pem)");
            rs256 = NimbusRs256Signature.fromJwksUri(jwks, connectTimeout, readTimeout, MAX_KEY_DOCUMENT_BYTES);
        }
        // The session cookie brings the same token on every page view: its signature is checked once per ttl.
        Duration ttl = config.getSignatureCacheTtl();
        return ttl == null || ttl.isZero() ? rs256
                : new CaffeineVerifiedSignatures(rs256, ttl, config.getUsedStatesMaximumSize(), clock);
    }

    /** Exact issuer and a required expiry, on top of micronaut-security-jwt's own audience and expiry checks. */
    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> portalTokenClaims(PotLoginConfiguration config) {
        return new PortalTokenClaims(Settings.require(config.getIssuer(), "pot-login.issuer"));
    }

    /** Sign-out compares a browser's Origin with the redirect URI's: the one address of this app that is configured. */
    @Singleton
    SameOrigin sameOrigin(PotLoginConfiguration config) {
        return new SameOrigin(Settings.require(config.getRedirectUri(), "pot-login.redirect-uri"));
    }

    private static URI authorizeUri(PotLoginConfiguration config) {
        if (config.getAuthorizeUri() != null) {
            return config.getAuthorizeUri();
        }
        return Settings.require(config.getApiRoot(), "pot-login.api-root").resolve("/");
    }
}
