package pot.login.app;

import static pot.login.app.PotLoginConfiguration.required;

import com.nimbusds.jwt.JWT;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micronaut.configuration.lettuce.DefaultRedisClientFactory;
import io.micronaut.configuration.lettuce.DefaultRedisConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.ServiceHttpClientConfiguration;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import io.micronaut.security.token.jwt.validator.JsonWebTokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import pot.login.adapters.http.SameOrigin;
import pot.login.adapters.http.StrictTransportSecurity;
import pot.login.adapters.portal.CaffeineVerifiedSignatures;
import pot.login.adapters.portal.MicronautHttpOidcUserDirectory;
import pot.login.adapters.portal.MicronautHttpTokenExchange;
import pot.login.adapters.portal.MicronautHttpTokenRevocation;
import pot.login.adapters.portal.MicronautHttpTokenRefresh;
import pot.login.adapters.portal.MicronautHttpUserDirectory;
import pot.login.adapters.portal.MicronautSecurityTokenVerifier;
import pot.login.adapters.portal.NimbusIdTokenVerifier;
import pot.login.adapters.portal.NimbusRs256Signature;
import pot.login.adapters.portal.IssuedToThisClient;
import pot.login.adapters.portal.OpenIdDiscovery;
import pot.login.adapters.portal.ProviderEndpoints;
import pot.login.adapters.portal.RequiredTokenType;
import pot.login.adapters.portal.PortalTokenClaims;
import pot.login.adapters.portal.TokenRequestSettings;
import pot.login.adapters.redis.LettuceTuning;
import pot.login.adapters.redis.RedisConnection;
import pot.login.adapters.redis.RedisSettings;
import pot.login.adapters.redis.RedisSignedOutSessions;
import pot.login.adapters.redis.RedisUsedStates;
import pot.login.adapters.store.CaffeineSignedOutSessions;
import pot.login.adapters.store.CaffeineUsedStates;
import pot.login.adapters.store.CaffeineUserDirectory;
import pot.login.domain.Secret;
import pot.login.domain.SessionId;
import pot.login.domain.flow.EndSession;
import pot.login.domain.flow.LoginFlow;
import pot.login.domain.flow.LoginSettings;
import pot.login.domain.flow.SignOutAtProvider;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.out.IdTokenVerifier;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.in.RenewSession;
import pot.login.domain.port.out.TokenExchange;
import pot.login.domain.port.out.TokenRefresh;
import pot.login.domain.session.NoRenewal;
import pot.login.domain.session.RefreshCookieCodec;
import pot.login.domain.session.RenewalSettings;
import pot.login.domain.session.SessionRenewal;
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
    /** {@code pot-login.store} values that select Redis (the enum is read ignoring case). */
    private static final String REDIS_STORE = "(?i)redis";
    private static final DefaultRedisClientFactory<String, String> REDIS_FACTORY =
            new DefaultRedisClientFactory<>(StringCodec.UTF8);

    /** The HSTS header of every answer: set only where the app is reached over https (application-production.yml). */
    @Singleton
    StrictTransportSecurity strictTransportSecurity(PotLoginConfiguration config) {
        return new StrictTransportSecurity(config.strictTransportSecurity());
    }

    /** The flow is the use cases: it is injected as StartLogin, CompleteLogin, ShowSignedInUser and SignOut. */
    @Singleton
    LoginFlow loginFlow(PotLoginConfiguration config, ProviderEndpoints endpoints, StateSigner states,
                        UsedStates usedStates, TokenExchange tokenExchange, TokenVerifier tokenVerifier,
                        IdTokenVerifier idTokenVerifier, UserDirectory userDirectory,
                        SignedOutSessions signedOutSessions, RenewSession renewSession, Clock clock) {
        LoginSettings settings = new LoginSettings(
                endpoints.authorization(),
                required(config.clientId(), PotLoginConfiguration.CLIENT_ID),
                required(config.redirectUri(), PotLoginConfiguration.REDIRECT_URI),
                required(config.sessionCookieName(), PotLoginConfiguration.SESSION_COOKIE_NAME),
                endpoints.issuer(),
                // A provider that says it always sends iss (RFC 9207 §3) makes a callback without one an attack.
                config.callbackIssuerRequired() || endpoints.issParameterSupported(),
                config.pkce(),
                config.maxConcurrentLogins(),
                config.authorizeExtraParameters());
        // The flow asks for and checks an ID token only when the scope has openid (LoginSettings.openIdConnect).
        // A sign-in seals its refresh token only where sessions renew (ADR-0007).
        // The flow seals refresh tokens with the renewal itself; only the renewals of sessions are counted.
        RenewSession renewal = renewSession instanceof MeteredPorts.Renewals metered ? metered.delegate() : renewSession;
        return new LoginFlow(settings, states, usedStates, tokenExchange, tokenVerifier, idTokenVerifier, userDirectory,
                signedOutSessions, renewal instanceof SessionRenewal sessionRenewal ? sessionRenewal : null, clock,
                new SecureRandom());
    }

    /** The flow's login use cases, counted: primary, so that the HTTP adapter is given these. */
    @Singleton
    @Primary
    MeteredPorts.Logins logins(LoginFlow flow, LoginMetrics metrics) {
        return new MeteredPorts.Logins(flow, flow, metrics);
    }

    /**
     * The meters of the login, in micronaut-micrometer's registry (micronaut.metrics.*); with metrics switched off
     * there is none, and they go to a registry that keeps nothing.
     */
    @Singleton
    LoginMetrics loginMetrics(@Nullable MeterRegistry registry) {
        return new LoginMetrics(registry != null ? registry : new CompositeMeterRegistry());
    }

    /**
     * ADR-0007: with {@code pot-login.session.refresh-cookie-keys.<id>} set, a session renews itself from the refresh
     * token in its encrypted cookie; without, it ends with its access token. Made at start, so that a key shorter
     * than 32 bytes or an unknown key id stops the app before it serves.
     */
    @Context
    RenewSession renewSession(PotLoginConfiguration config, Environment environment,
                              BeanProvider<TokenRefresh> tokenRefresh, BeanProvider<TokenVerifier> tokenVerifier,
                              BeanProvider<IdTokenVerifier> idTokenVerifier,
                              BeanProvider<SignedOutSessions> signedOutSessions, Clock clock, LoginMetrics metrics) {
        PotLoginConfiguration.SessionRenewalSettings session = config.session();
        Map<String, Secret> keys = RefreshCookieKeySettings.read(environment);
        if (keys.isEmpty()) {
            return new MeteredPorts.Renewals(new NoRenewal(session.refreshCookieName()), metrics);
        }
        String sessionCookieName = required(config.sessionCookieName(), PotLoginConfiguration.SESSION_COOKIE_NAME);
        RefreshCookieCodec codec = new RefreshCookieCodec(session.refreshCookieName(), keys,
                required(session.refreshCookieKeyId(), PotLoginConfiguration.REFRESH_COOKIE_KEY_ID),
                new SecureRandom());
        // The refreshed ID token is checked only where the login is OpenID Connect, as at sign-in.
        boolean openId = List.of(config.authorizeExtraParameters().getOrDefault(LoginSettings.SCOPE, "").split(" "))
                .contains("openid");
        return new MeteredPorts.Renewals(new SessionRenewal(new RenewalSettings(sessionCookieName,
                session.refreshCookieName(), session.renewBefore(), session.maxLifetime()), codec,
                // Looked up on first use: the portal's client and keys need settings this check at start does not.
                token -> tokenRefresh.get().refresh(token), token -> tokenVerifier.get().verify(token),
                openId ? token -> idTokenVerifier.get().verify(token) : null, lazily(signedOutSessions), clock),
                metrics);
    }

    /**
     * The sign-out the controller calls: ours (the flow's), then at the provider where it has the endpoints and they
     * are switched on. Primary, so that it, not the flow, is the SignOut that is injected.
     */
    @Singleton
    @Primary
    SignOut signOutAtProvider(LoginFlow flow, PotLoginConfiguration config, ProviderEndpoints endpoints,
                              @Client(id = "portal") HttpClient portal, TokenRequestSettings tokenRequests,
                              IdTokenVerifier idTokenVerifier, Clock clock, LoginMetrics metrics) {
        Optional<URI> endSession = config.providerSignOut()
                ? Optional.ofNullable(config.endSessionUri()).or(endpoints::endSession) : Optional.empty();
        Optional<URI> revocation = config.revokeOnSignOut()
                ? Optional.ofNullable(config.revocationUri()).or(endpoints::revocation) : Optional.empty();
        return new MeteredPorts.SignOuts(new SignOutAtProvider(flow,
                revocation.map(uri -> new MeteredPorts.Revocation(
                        new MicronautHttpTokenRevocation(portal, uri, tokenRequests), metrics)),
                endSession.map(uri -> new EndSession(uri, required(config.clientId(), PotLoginConfiguration.CLIENT_ID),
                        config.postLogoutRedirectUriOrDefault())),
                idTokenVerifier, config.session().maxLifetime(), clock), metrics);
    }

    /** In this process's memory, right for one instance; or in Redis, shared by several ({@code pot-login.store}). */
    @Singleton
    UsedStates usedStates(PotLoginConfiguration config, Clock clock, BeanProvider<RedisConnection> redis,
                          LoginMetrics metrics) {
        return new MeteredPorts.States(switch (config.store()) {
            case MEMORY -> new CaffeineUsedStates(config.usedStatesMaximumSize(), clock);
            case REDIS -> new RedisUsedStates(redis.get());
        }, metrics);
    }

    /**
     * In this process's memory, where a sign-out holds on this instance only; or in Redis, where it holds on every
     * instance ({@code pot-login.store}).
     */
    @Singleton
    SignedOutSessions signedOutSessions(PotLoginConfiguration config, Clock clock,
                                        BeanProvider<RedisConnection> redis, LoginMetrics metrics) {
        return new MeteredPorts.SignedOut(switch (config.store()) {
            case MEMORY -> new CaffeineSignedOutSessions(config.signedOutSessionsMaximumSize(), clock);
            case REDIS -> new RedisSignedOutSessions(redis.get());
        }, metrics);
    }

    /** {@code pot-login.redis.*}, made only when {@code pot-login.store} is {@code redis}. */
    @Singleton
    @Requires(property = PotLoginConfiguration.STORE, pattern = REDIS_STORE)
    RedisSettings redisSettings(PotLoginConfiguration config) {
        PotLoginConfiguration.Redis redis = config.redis();
        return new RedisSettings(required(redis.uri(), PotLoginConfiguration.REDIS_URI), redis.connectTimeout(),
                redis.commandTimeout());
    }

    /**
     * The Redis client of both Redis stores, made by micronaut-redis-lettuce's factory from its configuration class.
     * They are called here rather than left to make their beans from {@code redis.*} settings because all of
     * micronaut-redis-lettuce's beans appear as soon as any {@code redis.*} property is set: application.yml could
     * not set one without putting Redis beans into every memory setup. So the app has one documented name per setting
     * ({@code pot-login.redis.*}), and the fail-fast options that micronaut-redis-lettuce has no setting for.
     */
    @Singleton
    @Requires(property = PotLoginConfiguration.STORE, pattern = REDIS_STORE)
    @Bean(preDestroy = "shutdown")
    RedisClient redisClient(RedisSettings settings, ClientResources resources) {
        RedisClient client = REDIS_FACTORY.redisClient(redisConfiguration(settings), resources, List.of());
        client.setOptions(LettuceTuning.clientOptions(settings));
        return client;
    }

    /** The client's threads and its reconnect delay; shut down after the client. */
    @Singleton
    @Requires(property = PotLoginConfiguration.STORE, pattern = REDIS_STORE)
    @Bean(preDestroy = "shutdown")
    ClientResources redisClientResources() {
        return LettuceTuning.reconnectSoon(ClientResources.builder()).build();
    }

    /**
     * The one connection to Redis of both Redis stores, made on first use so that the app starts while Redis is down;
     * the client's shutdown closes it.
     */
    @Singleton
    @Requires(property = PotLoginConfiguration.STORE, pattern = REDIS_STORE)
    RedisConnection redisConnection(RedisSettings settings, RedisClient client) {
        DefaultRedisConfiguration configuration = redisConfiguration(settings);
        return new RedisConnection(() -> REDIS_FACTORY.redisConnection(client, configuration), settings.redacted());
    }

    private static DefaultRedisConfiguration redisConfiguration(RedisSettings settings) {
        DefaultRedisConfiguration configuration = new DefaultRedisConfiguration();
        configuration.setUri(settings.uri());
        // Lettuce waits this long for a synchronous command, and for the handshake of a connect.
        configuration.getUri().orElseThrow().setTimeout(settings.commandTimeout());
        return configuration;
    }

    /** Made at start in every setup, so that a key ring that cannot work stops the app before it serves. */
    @Context
    StateSigner stateSigner(PotLoginConfiguration config, Environment environment) {
        PotLoginConfiguration.State state = config.state();
        StateKeys keys = StateKeySettings.read(environment, state.signingKeyId()).stateKeys();
        return new StateSigner(keys, state.maxAge(), state.allowedClockSkew());
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Where the provider's endpoints are. With {@code pot-login.discovery}, read from its discovery document at start,
     * so that a provider that cannot be found, or names another issuer, stops the app before it serves; every explicit
     * endpoint setting wins over the document's. Without it, from the settings alone, and no request is made.
     */
    @Singleton
    ProviderEndpoints providerEndpoints(PotLoginConfiguration config, @Client(id = "portal") HttpClient portal,
                                        Environment environment) {
        if (!config.discovery()) {
            return new ProviderEndpoints(config.issuerOrDefault(), config.authorizeUriOrDefault(),
                    TokenRequestSettings.pathOnThePortal(config.tokenPathOrDefault()),
                    Optional.ofNullable(config.userinfoUri()), Optional.of(config.jwksUriOrDefault()),
                    Optional.ofNullable(config.endSessionUri()), Optional.ofNullable(config.revocationUri()),
                    List.of(), List.of(), false);
        }
        String issuer = required(config.issuer(), PotLoginConfiguration.ISSUER);
        ProviderEndpoints discovered;
        try {
            discovered = OpenIdDiscovery.discover(portal, issuer,
                    environment.getActiveNames().contains(Application.PRODUCTION));
        } catch (OpenIdDiscovery.DiscoveryFailedException e) {
            throw new StartFailure(PotLoginConfiguration.named(PotLoginConfiguration.ISSUER) + " with "
                    + PotLoginConfiguration.named(PotLoginConfiguration.DISCOVERY) + ": " + e.getMessage());
        }
        List<String> problems = DiscoveredSettingsCheck.problems(config.pkce(), config.clientAuthentication(),
                discovered);
        if (!problems.isEmpty()) {
            throw new StartFailure(String.join("; ", problems) + " (" + OpenIdDiscovery.discoveryUrl(issuer) + ")");
        }
        return discovered.overriddenBy(config.authorizeUri(), explicitTokenPath(config), config.userinfoUri(),
                config.jwksUri(), config.endSessionUri(), config.revocationUri());
    }

    /** A token path set with discovery, which is below the API root as without discovery; else null. */
    private static URI explicitTokenPath(PotLoginConfiguration config) {
        if (config.tokenPath() == null || config.tokenPath().isBlank()) {
            return null;
        }
        if (config.apiRoot() == null || config.apiRoot().toString().isBlank()) {
            throw new StartFailure(PotLoginConfiguration.named(PotLoginConfiguration.TOKEN_PATH) + " is set but "
                    + PotLoginConfiguration.named(PotLoginConfiguration.API_ROOT)
                    + ", the root it is below, is missing");
        }
        return TokenRequestSettings.pathOnThePortal(config.tokenPath());
    }

    /** The client's credentials at the token endpoint; revocation authenticates the same way (RFC 7009 §2.1). */
    @Singleton
    TokenRequestSettings tokenRequestSettings(PotLoginConfiguration config, ProviderEndpoints endpoints) {
        return new TokenRequestSettings(
                endpoints.token(),
                required(config.clientId(), PotLoginConfiguration.CLIENT_ID),
                Secret.of(PotLoginConfiguration.CLIENT_SECRET,
                        required(config.clientSecret(), PotLoginConfiguration.CLIENT_SECRET)),
                required(config.redirectUri(), PotLoginConfiguration.REDIRECT_URI),
                config.clientAuthentication());
    }

    @Singleton
    TokenExchange tokenExchange(@Client(id = "portal") HttpClient portal, TokenRequestSettings settings,
                                LoginMetrics metrics) {
        return new MeteredPorts.Exchange(new MicronautHttpTokenExchange(portal, settings), metrics);
    }

    /** RFC 6749 §6 at the same token endpoint, with the same client authentication as the code exchange. */
    @Singleton
    TokenRefresh tokenRefresh(@Client(id = "portal") HttpClient portal, TokenRequestSettings settings,
                              LoginMetrics metrics) {
        return new MeteredPorts.Refresh(new MicronautHttpTokenRefresh(portal, settings), metrics);
    }

    /**
     * The portal's person or the provider's userinfo ({@code pot-login.user-lookup}), remembered for
     * {@code user-cache-ttl} (0: ask every time) in front of the HTTP lookup. Userinfo takes an absolute URI on the
     * same client, so its waits and size bound are the portal's (micronaut.http.services.portal.*) wherever it lives.
     */
    @Singleton
    UserDirectory userDirectory(@Client(id = "portal") HttpClient portal, PotLoginConfiguration config,
                                ProviderEndpoints endpoints, Clock clock, JsonMapper json, LoginMetrics metrics) {
        // Timed behind the cache: the meter is of the calls that reach the portal.
        UserDirectory lookup = new MeteredPorts.Users(switch (config.userLookup()) {
            case PORTAL_PERSON -> new MicronautHttpUserDirectory(portal, config.mePath());
            // An explicit userinfo-uri wins over the discovered userinfo_endpoint (providerEndpoints).
            case OIDC_USERINFO -> new MicronautHttpOidcUserDirectory(portal, endpoints.userinfo().orElseThrow(
                    () -> new StartFailure(PotLoginConfiguration.named(PotLoginConfiguration.USERINFO_URI)
                            + " is missing, and " + PotLoginConfiguration.named(PotLoginConfiguration.USER_LOOKUP)
                            + " is oidc-userinfo" + (config.discovery()
                            ? ": the provider's discovery document names no userinfo_endpoint" : ""))), json);
        }, metrics);
        Duration ttl = config.userCacheTtl();
        return ttl.isZero() ? lookup : new CaffeineUserDirectory(lookup, ttl, config.userCacheMaximumSize(), clock);
    }

    @Singleton
    TokenVerifier tokenVerifier(JsonWebTokenValidator<JWT, HttpRequest<?>> validator, SignatureConfiguration signature,
                                List<GenericJwtClaimsValidator<HttpRequest<?>>> claimsValidators,
                                LoginMetrics metrics) {
        return new MeteredPorts.Tokens(new MicronautSecurityTokenVerifier(validator, signature, claimsValidators),
                metrics);
    }

    /**
     * OIDC Core §3.1.3.7 for the ID token: the access token's key source and issuer, our client id, and the state's
     * allowed clock skew for {@code iat}.
     */
    @Singleton
    IdTokenVerifier idTokenVerifier(SignatureConfiguration signature, PotLoginConfiguration config,
                                    ProviderEndpoints endpoints, Clock clock, LoginMetrics metrics) {
        // An ID token's typ is JWT: it is held to the keys, not to the access token's type rule.
        SignatureConfiguration keys = signature instanceof RequiredTokenType typed ? typed.keys() : signature;
        return new MeteredPorts.IdTokens(new NimbusIdTokenVerifier(keys, endpoints.issuer(),
                required(config.clientId(), PotLoginConfiguration.CLIENT_ID), config.state().allowedClockSkew(), clock),
                metrics);
    }

    /**
     * The portal's token-signing key, for micronaut-security-jwt: it verifies both the token we are issued in step 7
     * and the session cookie on every protected request. A PEM key (as Platform of Trust publishes) wins over JWKS.
     */
    @Singleton
    PortalKeys portalKeys(PotLoginConfiguration config, ProviderEndpoints endpoints,
                          @Named("portal") ServiceHttpClientConfiguration portal) {
        if (config.hasPublicKeyPem()) {
            return new PortalKeys(NimbusRs256Signature.fromPem(config.publicKeyPem()));
        }
        // The same bounded waits as every other call to the portal (micronaut.http.services.portal.*).
        URI jwks = endpoints.jwks().orElseThrow(() -> new StartFailure(
                "the provider's discovery document names no jwks_uri: set "
                        + PotLoginConfiguration.named(PotLoginConfiguration.JWKS_URI) + " or "
                        + PotLoginConfiguration.named(PotLoginConfiguration.PUBLIC_KEY_PEM)));
        return new PortalKeys(NimbusRs256Signature.fromJwksUri(jwks, bounded(portal.getConnectTimeout()),
                bounded(portal.getReadTimeout()), MAX_KEY_DOCUMENT_BYTES));
    }

    /** The session cookie brings the same token on every page view: its signature is checked once per ttl. */
    @Singleton
    SignatureConfiguration portalSignature(PortalKeys keys, PotLoginConfiguration config, Clock clock) {
        Duration ttl = config.signatureCacheTtl();
        SignatureConfiguration verified = ttl.isZero() ? keys.signature()
                : new CaffeineVerifiedSignatures(keys.signature(), ttl, config.signatureCacheMaximumSize(), clock);
        // In front of the cache: the type is read from each token's header, and a refused token is never remembered.
        return config.requireAccessTokenType() ? new RequiredTokenType(verified) : verified;
    }

    /** Exact issuer and a required expiry, on top of micronaut-security-jwt's own expiry and not-before checks. */
    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> portalTokenClaims(ProviderEndpoints endpoints) {
        return new PortalTokenClaims(endpoints.issuer());
    }

    /** Issued to this client ({@code azp}, else {@code aud}): in place of micronaut-security-jwt's aud-only check. */
    @Singleton
    GenericJwtClaimsValidator<HttpRequest<?>> issuedToThisClient(PotLoginConfiguration config) {
        return new IssuedToThisClient(required(config.clientId(), PotLoginConfiguration.CLIENT_ID));
    }

    /** Sign-out compares a browser's Origin with the redirect URI's: the one address of this app that is configured. */
    @Singleton
    SameOrigin sameOrigin(PotLoginConfiguration config) {
        return new SameOrigin(required(config.redirectUri(), PotLoginConfiguration.REDIRECT_URI));
    }

    /** A wait that application.yml bounds; unbounded would let a silent portal hold a request forever. */
    private static Duration bounded(java.util.Optional<Duration> timeout) {
        return timeout.orElseThrow(() -> new IllegalStateException(
                "micronaut.http.services.portal.connect-timeout or read-timeout is unset: waits on the portal are "
                        + "unbounded"));
    }

    /** Looked up on first use, as the portal's beans are: the store's connection needs settings checked later. */
    private static SignedOutSessions lazily(BeanProvider<SignedOutSessions> store) {
        return new SignedOutSessions() {
            @Override
            public RememberResult remember(SessionId session, Instant until) {
                return store.get().remember(session, until);
            }

            @Override
            public SignOutCheck check(SessionId session) {
                return store.get().check(session);
            }
        };
    }
}
