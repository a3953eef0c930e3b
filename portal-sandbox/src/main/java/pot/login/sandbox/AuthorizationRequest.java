package pot.login.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An authorization request (RFC 6749 §4.1.1) that passed every check: a registered client, one of its redirect URIs
 * exactly, {@code response_type=code}, a state, and, if PKCE is used, an S256 challenge. The login form carries it in
 * hidden fields, so it is checked again, the same way, when the form comes back. A {@code scope} containing
 * {@code openid} makes it an OpenID Connect request (OIDC Core §3.1.2.1): its {@code nonce}, if any, goes into the ID
 * token. {@code codeChallenge}, {@code scope} and {@code nonce} are null when absent.
 */
record AuthorizationRequest(RegisteredClient client, String redirectUri, String state, String codeChallenge,
                            String scope, String nonce) {

    private static final String RESPONSE_TYPE = "response_type";
    private static final String CLIENT_ID = "client_id";
    private static final String REDIRECT_URI = "redirect_uri";
    private static final String STATE = "state";
    private static final String CODE_CHALLENGE = "code_challenge";
    private static final String CODE_CHALLENGE_METHOD = "code_challenge_method";
    private static final String SCOPE = "scope";
    private static final String NONCE = "nonce";
    private static final String OPENID = "openid";
    private static final List<String> FIELDS =
            List.of(RESPONSE_TYPE, CLIENT_ID, REDIRECT_URI, STATE, CODE_CHALLENGE, CODE_CHALLENGE_METHOD, SCOPE, NONCE);
    /** Bounds what a request makes the portal echo into its page and its redirect. */
    private static final int MAX_STATE_LENGTH = 2048;

    /** The outcome of checking a request. */
    sealed interface Check permits Accepted, Refused {
    }

    record Accepted(AuthorizationRequest request) implements Check {
    }

    /** Why a request was refused, in words that quote nothing from it. */
    record Refused(String reason) implements Check {
    }

    /**
     * Checks a request. Every failure, even once client and redirect URI are known, is refused here rather than
     * redirected: the sandbox never sends a browser anywhere it was not asked to by a fully valid request.
     */
    static Check check(Parameters parameters, SandboxSettings settings) {
        if (parameters.anyRepeated(FIELDS)) {
            return new Refused("a parameter is repeated");
        }
        String clientId = parameters.get(CLIENT_ID);
        if (clientId == null) {
            return new Refused("client_id is missing");
        }
        RegisteredClient client = settings.client(clientId).orElse(null);
        if (client == null) {
            return new Refused("the client is not registered");
        }
        String redirectUri = parameters.get(REDIRECT_URI);
        if (redirectUri == null) {
            return new Refused("redirect_uri is missing");
        }
        if (!client.allowsRedirectUri(redirectUri)) {
            return new Refused("redirect_uri is not registered for this client");
        }
        if (!"code".equals(parameters.get(RESPONSE_TYPE))) {
            return new Refused("response_type must be code");
        }
        String state = parameters.get(STATE);
        if (state == null) {
            return new Refused("state is missing");
        }
        if (state.length() > MAX_STATE_LENGTH) {
            return new Refused("state is too long");
        }
        String scope = parameters.get(SCOPE);
        String nonce = parameters.get(NONCE);
        if (tooLong(scope) || tooLong(nonce)) {
            return new Refused("scope or nonce is too long");
        }
        String challenge = parameters.get(CODE_CHALLENGE);
        String method = parameters.get(CODE_CHALLENGE_METHOD);
        if (challenge == null) {
            return method == null ? new Accepted(new AuthorizationRequest(client, redirectUri, state, null, scope, nonce))
                    : new Refused("code_challenge_method without code_challenge");
        }
        // An absent method means plain (RFC 7636 §4.3), which is refused like an explicit one.
        if (!Pkce.S256.equals(method)) {
            return new Refused("code_challenge_method must be S256");
        }
        if (!Pkce.isChallenge(challenge)) {
            return new Refused("code_challenge is not an S256 challenge");
        }
        return new Accepted(new AuthorizationRequest(client, redirectUri, state, challenge, scope, nonce));
    }

    private static boolean tooLong(String value) {
        return value != null && value.length() > MAX_STATE_LENGTH;
    }

    /** The fields that repeat this request when the login form is posted. */
    Map<String, String> formFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(RESPONSE_TYPE, "code");
        fields.put(CLIENT_ID, client.clientId());
        fields.put(REDIRECT_URI, redirectUri);
        fields.put(STATE, state);
        if (codeChallenge != null) {
            fields.put(CODE_CHALLENGE, codeChallenge);
            fields.put(CODE_CHALLENGE_METHOD, Pkce.S256);
        }
        if (scope != null) {
            fields.put(SCOPE, scope);
        }
        if (nonce != null) {
            fields.put(NONCE, nonce);
        }
        return fields;
    }

    /** Whether the request is OpenID Connect: its space-delimited scope (RFC 6749 §3.3) has {@code openid}. */
    boolean openId() {
        return scope != null && List.of(scope.split(" ")).contains(OPENID);
    }

    /** The redirect URI's origin, where the form's POST ends up redirected (CSP form-action must allow it). */
    String redirectOrigin() {
        URI uri = URI.create(redirectUri);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The callback: the redirect URI with these parameters added to its query (RFC 6749 Appendix B encoding). */
    String callback(Map<String, String> parameters) {
        StringBuilder location = new StringBuilder(redirectUri);
        if (!redirectUri.contains("?")) {
            location.append('?');
        } else if (!redirectUri.endsWith("?") && !redirectUri.endsWith("&")) {
            location.append('&');
        }
        String separator = "";
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            location.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = "&";
        }
        return location.toString();
    }
}
