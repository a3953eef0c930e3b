package pot.login.app;

import static pot.login.app.PotLoginConfiguration.named;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.order.Ordered;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import pot.login.adapters.redis.RedisSettings;

/**
 * In production the app refuses to start, before it listens, unless every setting without a safe default is set and
 * set safely: the client's id and secret, the redirect URI, the state keys, the portal's API root; https wherever a
 * browser or a token travels; the {@code __Host-} session cookie; no secret that is missing, a demo value or too short
 * to resist guessing. It names every problem at once, one line each with its environment variable: half configured,
 * the app would answer 500 to everyone, or send users to the sandbox's localhost.
 */
@Context
// First of the beans made at start, so that none of them meets a half configuration before this names it.
@Order(Ordered.HIGHEST_PRECEDENCE)
@Requires(env = Application.PRODUCTION)
class ProductionSettingsCheck {

    static final int MIN_SECRET_BYTES = 32;
    /** Every demo secret shipped with this project contains this marker, so none of them passes for a real one. */
    static final String DEMO_MARKER = "demo-only";
    /** Browsers enforce Secure, Path=/ and no Domain on a cookie with this prefix, so no subdomain can plant one. */
    static final String HOST_PREFIX = "__Host-";
    /** The hosts of a Redis on this machine, which may be reached without TLS. */
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    ProductionSettingsCheck(PotLoginConfiguration config, Environment environment) {
        List<String> problems = problems(config,
                StateKeySettings.read(environment, config.state().signingKeyId()),
                environment.getActiveNames().contains(Application.SANDBOX));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in production; fix these settings:\n"
                    + String.join("\n", problems));
        }
    }

    static List<String> problems(PotLoginConfiguration config, StateKeySettings keys, boolean sandboxActive) {
        List<String> problems = new ArrayList<>();
        if (sandboxActive) {
            problems.add("the sandbox environment is active too; production runs alone");
        }
        checkSet(PotLoginConfiguration.CLIENT_ID, config.clientId(), problems);
        checkSecret(named(PotLoginConfiguration.CLIENT_SECRET), config.clientSecret(), problems);
        checkHttps(PotLoginConfiguration.REDIRECT_URI, config.redirectUri(), true, problems);
        // With discovery the issuer locates every endpoint (each discovered one must be https too, LoginWiring).
        checkHttps(PotLoginConfiguration.API_ROOT, config.apiRoot(), !config.discovery(), problems);
        if (config.discovery()) {
            checkHttps(PotLoginConfiguration.ISSUER, issuerUri(config.issuer()), true, problems);
        }
        // Unset, the authorize and JWKS URIs follow the API root, checked above.
        checkHttps(PotLoginConfiguration.AUTHORIZE_URI, config.authorizeUri(), false, problems);
        if (!config.hasPublicKeyPem()) {
            checkHttps(PotLoginConfiguration.JWKS_URI, config.jwksUri(), false, problems);
        }
        if (config.userLookup() == PotLoginConfiguration.UserLookup.OIDC_USERINFO) {
            // The user's token is sent there as a bearer token. With discovery it may come from the provider's
            // document, whose endpoints discovery itself requires to be https in production.
            checkHttps(PotLoginConfiguration.USERINFO_URI, config.userinfoUri(), !config.discovery(), problems);
        }
        // The access token goes to the revocation endpoint, and the ID token and the browser to the end-session one.
        checkHttps(PotLoginConfiguration.REVOCATION_URI, config.revocationUri(), false, problems);
        checkHttps(PotLoginConfiguration.END_SESSION_URI, config.endSessionUri(), false, problems);
        if (!config.pkce()) {
            // Without it, a code read from a leaked callback URL is redeemed in the attacker's own login (RFC 9700
            // §2.1.1, §4.5): the flow cookie's binding cannot stop that, only the portal's PKCE check can.
            problems.add(named(PotLoginConfiguration.PKCE) + " is false: production requires PKCE, so that a leaked "
                    + "code cannot be redeemed in another browser");
        }
        String cookieName = config.sessionCookieName();
        if (cookieName == null || !cookieName.startsWith(HOST_PREFIX)) {
            problems.add(named(PotLoginConfiguration.SESSION_COOKIE_NAME) + " does not start with " + HOST_PREFIX
                    + ": " + cookieName);
        }
        if (config.store() == PotLoginConfiguration.Store.REDIS) {
            checkSet(PotLoginConfiguration.REDIS_URI, config.redis().uri(), problems);
            checkRedisTls(config.redis().uri(), problems);
        }
        problems.addAll(keys.problems());
        keys.secrets().forEach((id, secret) -> checkSecret(StateKeySettings.keySetting(id), secret, problems));
        return problems;
    }

    /** The same test and message as {@link PotLoginConfiguration#required}, collected instead of thrown. */
    private static void checkSet(String setting, Object value, List<String> problems) {
        try {
            PotLoginConfiguration.required(value, setting);
        } catch (IllegalStateException missing) {
            problems.add(missing.getMessage());
        }
    }

    private static URI issuerUri(String issuer) {
        try {
            return issuer == null ? null : new URI(issuer);
        } catch (java.net.URISyntaxException e) {
            return URI.create("not-a-uri:" + issuer.length());
        }
    }

    private static void checkHttps(String setting, URI uri, boolean required, List<String> problems) {
        if (uri == null || uri.toString().isBlank()) {
            if (required) {
                checkSet(setting, uri, problems);
            }
        } else if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            problems.add(named(setting) + " is not https: " + uri);
        }
    }

    /**
     * On a plaintext link a network attacker reads the used-state ids and the signed-out sessions, and can forge the
     * {@code SET}s and {@code DEL}s that decide a replay or a sign-out; a password in the URI crosses it in clear. A
     * Redis on this machine (a loopback host) is reached without a network.
     */
    private static void checkRedisTls(URI uri, List<String> problems) {
        if (uri != null && "redis".equalsIgnoreCase(uri.getScheme())
                && !LOOPBACK_HOSTS.contains(String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT))) {
            problems.add(named(PotLoginConfiguration.REDIS_URI) + " is redis:// (no TLS) to a host other than this "
                    + "machine, use rediss://: " + RedisSettings.redacted(uri));
        }
    }

    private static void checkSecret(String name, String secret, List<String> problems) {
        if (secret == null || secret.isBlank()) {
            problems.add(name + " is missing");
        } else if (secret.toLowerCase(Locale.ROOT).contains(DEMO_MARKER)) {
            problems.add(name + " is a demo value");
        } else if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add(name + " is shorter than " + MIN_SECRET_BYTES + " bytes");
        }
    }
}
