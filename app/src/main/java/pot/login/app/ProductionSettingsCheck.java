package pot.login.app;

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

    static final String CLIENT_ID = "pot-login.client-id (POT_LOGIN_CLIENT_ID)";
    static final String CLIENT_SECRET = "pot-login.client-secret (POT_LOGIN_CLIENT_SECRET)";
    static final String REDIRECT_URI = "pot-login.redirect-uri (POT_LOGIN_REDIRECT_URI)";
    static final String API_ROOT = "pot-login.api-root (POT_LOGIN_API_ROOT)";
    static final String AUTHORIZE_URI = "pot-login.authorize-uri (POT_LOGIN_AUTHORIZE_URI)";
    static final String JWKS_URI = "pot-login.jwks-uri (POT_LOGIN_JWKS_URI)";
    static final String SESSION_COOKIE_NAME = "pot-login.session-cookie-name (POT_LOGIN_SESSION_COOKIE_NAME)";
    static final String PKCE = "pot-login.pkce (POT_LOGIN_PKCE)";

    ProductionSettingsCheck(PotLoginConfiguration config, Environment environment) {
        List<String> problems = problems(config,
                StateKeySettings.read(environment, config.getState().getSigningKeyId()),
                environment.containsProperty("pot-login.jwks-uri"),
                environment.getActiveNames().contains(Application.SANDBOX));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in production; fix these settings:\n"
                    + String.join("\n", problems));
        }
    }

    /**
     * @param jwksUriSet whether {@code pot-login.jwks-uri} is set; otherwise it follows the API root, checked already
     */
    static List<String> problems(PotLoginConfiguration config, StateKeySettings keys, boolean jwksUriSet,
                                 boolean sandboxActive) {
        List<String> problems = new ArrayList<>();
        if (sandboxActive) {
            problems.add("the sandbox environment is active too; production runs alone");
        }
        if (config.getClientId() == null || config.getClientId().isBlank()) {
            problems.add(CLIENT_ID + " is missing");
        }
        checkSecret(CLIENT_SECRET, config.getClientSecret(), problems);
        checkHttps(REDIRECT_URI, config.getRedirectUri(), true, problems);
        checkHttps(API_ROOT, config.getApiRoot(), true, problems);
        checkHttps(AUTHORIZE_URI, config.getAuthorizeUri(), false, problems);
        boolean pem = config.getPublicKeyPem() != null && !config.getPublicKeyPem().isBlank();
        if (!pem && jwksUriSet) {
            checkHttps(JWKS_URI, config.getJwksUri(), false, problems);
        }
        if (!config.isPkce()) {
            // Without it, a code read from a leaked callback URL is redeemed in the attacker's own login (RFC 9700
            // §2.1.1, §4.5): the flow cookie's binding cannot stop that, only the portal's PKCE check can.
            problems.add(PKCE + " is false: production requires PKCE, so that a leaked code cannot be redeemed in "
                    + "another browser");
        }
        String cookieName = config.getSessionCookieName();
        if (cookieName == null || !cookieName.startsWith(HOST_PREFIX)) {
            problems.add(SESSION_COOKIE_NAME + " does not start with " + HOST_PREFIX + ": " + cookieName);
        }
        problems.addAll(keys.problems());
        keys.secrets().forEach((id, secret) -> checkSecret(StateKeySettings.keySetting(id), secret, problems));
        return problems;
    }

    private static void checkHttps(String name, URI uri, boolean required, List<String> problems) {
        if (uri == null || uri.toString().isBlank()) {
            if (required) {
                problems.add(name + " is missing");
            }
        } else if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            problems.add(name + " is not https: " + uri);
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
