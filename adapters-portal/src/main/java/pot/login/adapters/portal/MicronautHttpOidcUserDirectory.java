package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserProfile;

/**
 * The user lookup at an OpenID Connect provider's userinfo endpoint over Micronaut's HTTP client (OIDC Core §5.3):
 * {@code GET {userinfo-uri}} with the user's token as a bearer token, answered with the standard claims of §5.1
 * ({@code sub}, {@code name}, {@code given_name}, {@code family_name}, {@code preferred_username}, {@code email}).
 * Blocking, like the rest of the flow. The token never reaches a log line or a {@code detail}.
 *
 * <p>Only a JSON answer ({@code application/json}) is read. A signed or encrypted answer ({@code application/jwt},
 * which §5.3.2 allows for clients registered for it) is a bad response, logged as such: register this client for
 * plain JSON userinfo answers.
 *
 * <p>The answer's {@code sub} must equal the token's exactly (§5.3.2): an answer about anyone else is a bad response,
 * never a profile, since a provider that mixed up tokens would otherwise sign one user in as another.
 */
public final class MicronautHttpOidcUserDirectory implements UserDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(MicronautHttpOidcUserDirectory.class);
    private static final MediaType JWT = MediaType.of("application/jwt");
    /** The claims of OIDC Core §5.1 that a profile is made of. */
    private static final List<String> STANDARD_CLAIMS =
            List.of("sub", "name", "given_name", "family_name", "preferred_username", "email");

    private final HttpClient client;
    private final URI userinfoUri;
    private final JsonMapper json;

    /**
     * @param client      a client with the portal's timeouts and max content length from configuration; the request
     *                    URI is absolute, so the endpoint may be on another host than the client's base URL
     * @param userinfoUri the provider's {@code userinfo_endpoint}: an absolute http(s) URI
     * @param json        reads the answer, so that a claim of the wrong type can be named
     */
    public MicronautHttpOidcUserDirectory(HttpClient client, URI userinfoUri, JsonMapper json) {
        this.client = Objects.requireNonNull(client, "client");
        this.userinfoUri = Objects.requireNonNull(userinfoUri, "userinfoUri");
        this.json = Objects.requireNonNull(json, "json");
        String scheme = userinfoUri.getScheme() == null ? "" : userinfoUri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || userinfoUri.getHost() == null) {
            throw new IllegalArgumentException(
                    "the userinfo URI is not an absolute http(s) URI: '" + userinfoUri + "'");
        }
        if (userinfoUri.getRawUserInfo() != null || userinfoUri.getRawFragment() != null) {
            throw new IllegalArgumentException("the userinfo URI has a user part or a fragment: '" + userinfoUri + "'");
        }
    }

    @Override
    public LookupResult lookUp(AccessToken token, String subject) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(subject, "subject");
        try {
            HttpResponse<byte[]> response = client.toBlocking().exchange(
                    HttpRequest.GET(userinfoUri).bearerAuth(token.value()).accept(MediaType.APPLICATION_JSON_TYPE),
                    byte[].class);
            return found(response, subject);
        } catch (HttpClientResponseException e) {
            return refused(e.code());
        } catch (HttpClientException e) {
            return failed(PortalFailure.ofTransport(e));
        }
    }

    private LookupResult found(HttpResponse<byte[]> response, String subject) {
        int status = response.code();
        if (status != HttpStatus.OK.getCode()) {
            return failed(PortalFailure.ofStatus(status));
        }
        Optional<MediaType> type = response.getContentType();
        if (type.isPresent() && type.get().matches(JWT)) {
            LOG.warn("User lookup: the userinfo endpoint answered a signed JWT (application/jwt), which this app does "
                    + "not read; register the client for JSON userinfo answers");
            return failed(PortalFailure.badResponse(status, "userinfo answer is a JWT, only JSON is read"));
        }
        if (type.isEmpty() || !type.get().matches(MediaType.APPLICATION_JSON_TYPE)) {
            return failed(PortalFailure.badResponse(status, "userinfo answer is not application/json"));
        }
        JsonNode claims;
        try {
            claims = json.readValue(response.getBody().orElse(new byte[0]), JsonNode.class);
        } catch (IOException | RuntimeException unreadable) {
            return failed(PortalFailure.badResponse(status, "unreadable userinfo answer"));
        }
        if (claims == null || !claims.isObject()) {
            return failed(PortalFailure.badResponse(status, "userinfo answer is not a JSON object"));
        }
        return profile(claims, subject, status);
    }

    private static LookupResult profile(JsonNode claims, String subject, int status) {
        for (String claim : STANDARD_CLAIMS) {
            JsonNode value = claims.get(claim);
            if (value != null && !value.isNull() && !value.isString()) {
                return failed(PortalFailure.badResponse(status, "userinfo claim " + claim + " is not a string"));
            }
        }
        String sub = claim(claims, "sub");
        String name = claim(claims, "name");
        String givenName = claim(claims, "given_name");
        String familyName = claim(claims, "family_name");
        String preferredUsername = claim(claims, "preferred_username");
        String email = claim(claims, "email");
        if (sub.isBlank()) {
            return failed(PortalFailure.badResponse(status, "userinfo answer without sub"));
        }
        if (!sub.equals(subject)) {
            // Both are identifiers, not secrets: the log line says whom the answer was about instead.
            LOG.warn("User lookup: the userinfo endpoint described sub={} for a token whose sub={}",
                    RefusedTokenFields.safe(sub), RefusedTokenFields.safe(subject));
            return failed(PortalFailure.badResponse(status, "userinfo answer for another subject"));
        }
        // OIDC's name is the whole name; without it, first and last (UserProfile), else the login name, else sub.
        String wholeName = !name.isBlank() || !(givenName + familyName).isBlank() ? name : preferredUsername;
        return new LookupResult.Found(new UserProfile(sub, givenName, familyName, email, wholeName));
    }

    /** A string claim, or empty when absent or null (§5.3.2: a claim without a value is omitted, or null). */
    private static String claim(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value == null || value.isNull() ? "" : value.getStringValue();
    }

    private static LookupResult refused(int status) {
        if (status == HttpStatus.UNAUTHORIZED.getCode() || status == HttpStatus.FORBIDDEN.getCode()) {
            LOG.debug("User lookup: the userinfo endpoint refused the token (status {})", status);
            return new LookupResult.TokenRefused();
        }
        return failed(PortalFailure.ofStatus(status));
    }

    private static LookupResult failed(PortalFailure failure) {
        LOG.warn("User lookup at the userinfo endpoint failed: reason={} status={} detail={}",
                failure.reason().rejection().code(), failure.statusText(), failure.detail());
        return new LookupResult.Failed(failure.reason().rejection(), failure.detail());
    }

}
