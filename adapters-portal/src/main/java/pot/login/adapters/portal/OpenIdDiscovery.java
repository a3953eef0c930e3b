package pot.login.adapters.portal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a provider's endpoints from its issuer alone: {@code {issuer}/.well-known/openid-configuration} (OIDC
 * Discovery 1.0 §4), or, where that is 404, the OAuth 2.0 authorization server metadata that RFC 8414 §3.1 places at
 * {@code /.well-known/oauth-authorization-server} inserted before the issuer's path; once, at start. Every failure is
 * a {@link DiscoveryFailedException} whose message is one line naming the URL and what is wrong with the answer;
 * nothing in the answer but its status and the names it carries is quoted.
 */
public final class OpenIdDiscovery {

    public static final String WELL_KNOWN_PATH = "/.well-known/openid-configuration";
    public static final String AUTHORIZATION_SERVER_WELL_KNOWN_PATH = "/.well-known/oauth-authorization-server";

    private OpenIdDiscovery() {
    }

    /** Thrown when discovery fails: the app cannot know where to send users, so it must not start. */
    public static final class DiscoveryFailedException extends IllegalStateException {
        DiscoveryFailedException(String message) {
            super(message);
        }
    }

    /**
     * @param client        a client with the portal's bounded waits and answer size; the discovery URL is absolute
     * @param issuer        the configured issuer, which the document must name exactly
     * @param httpsRequired whether every endpoint must be https (production)
     */
    public static ProviderEndpoints discover(HttpClient client, String issuer, boolean httpsRequired) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(issuer, "issuer");
        URI openId = discoveryUrl(issuer);
        URI authorizationServer = authorizationServerMetadataUrl(issuer);
        Optional<ProviderMetadata> openIdDocument = fetch(client, openId);
        // An OAuth 2.0 server that is no OpenID provider publishes only the RFC 8414 document (RFC 8414 §5).
        Optional<ProviderMetadata> found = openIdDocument.isPresent() ? openIdDocument
                : fetch(client, authorizationServer);
        URI url = openIdDocument.isPresent() ? openId : authorizationServer;
        ProviderMetadata metadata = found.orElseThrow(() -> new DiscoveryFailedException("OpenID discovery failed: "
                + "the provider publishes no discovery document: both " + openId + " and " + authorizationServer
                + " answered 404"));
        // OIDC Discovery §4.3, RFC 8414 §3.3: another issuer is a document for someone else (an attack, or a wrong
        // setting); its tokens would then be checked against keys and endpoints that the configured issuer never
        // vouched for.
        if (!issuer.equals(metadata.issuer())) {
            throw failed(url, "names the issuer '" + metadata.issuer() + "', not the configured '" + issuer + "'");
        }
        return new ProviderEndpoints(issuer,
                endpoint(url, "authorization_endpoint", metadata.authorizationEndpoint(), httpsRequired)
                        .orElseThrow(() -> failed(url, "has no authorization_endpoint")),
                endpoint(url, "token_endpoint", metadata.tokenEndpoint(), httpsRequired)
                        .orElseThrow(() -> failed(url, "has no token_endpoint")),
                endpoint(url, "userinfo_endpoint", metadata.userinfoEndpoint(), httpsRequired),
                endpoint(url, "jwks_uri", metadata.jwksUri(), httpsRequired),
                endpoint(url, "end_session_endpoint", metadata.endSessionEndpoint(), httpsRequired),
                endpoint(url, "revocation_endpoint", metadata.revocationEndpoint(), httpsRequired),
                orEmpty(metadata.codeChallengeMethodsSupported()),
                orEmpty(metadata.tokenEndpointAuthMethodsSupported()),
                Boolean.TRUE.equals(metadata.issParameterSupported()));
    }

    /** OIDC Discovery §4.1: the well-known path is appended to the issuer, after any path it has. */
    public static URI discoveryUrl(String issuer) {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        try {
            return ProviderEndpoints.requireHttpUrl(new URI(base + WELL_KNOWN_PATH), "issuer");
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new DiscoveryFailedException("the issuer is not an absolute http(s) URL: '" + issuer + "'");
        }
    }

    /**
     * RFC 8414 §3.1: the well-known path goes between the host and the issuer's path, which loses its terminating
     * {@code /}: {@code https://example.com/issuer1} →
     * {@code https://example.com/.well-known/oauth-authorization-server/issuer1}.
     */
    public static URI authorizationServerMetadataUrl(String issuer) {
        discoveryUrl(issuer); // the same refusal of an issuer that is not an absolute http(s) URL
        URI parsed = URI.create(issuer);
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return URI.create(parsed.getScheme() + "://" + parsed.getRawAuthority() + AUTHORIZATION_SERVER_WELL_KNOWN_PATH
                + path);
    }

    /** The document, or empty where there is none (404): any other failure stops the discovery. */
    private static Optional<ProviderMetadata> fetch(HttpClient client, URI url) {
        try {
            HttpResponse<ProviderMetadata> response = client.toBlocking().exchange(
                    HttpRequest.GET(url.toString()).accept(MediaType.APPLICATION_JSON_TYPE), ProviderMetadata.class);
            if (response.code() != 200) {
                throw failed(url, "answered " + response.code() + ", not 200");
            }
            return Optional.of(response.getBody()
                    .orElseThrow(() -> failed(url, "answered 200 without a JSON document")));
        } catch (HttpClientResponseException e) {
            if (e.code() == 404) {
                return Optional.empty();
            }
            // Micronaut reports a 200 whose body it could not decode this way.
            throw failed(url, e.code() < 300 ? "answered " + e.code() + " with a body that is not a JSON document"
                    : "answered " + e.code() + ", not 200");
        } catch (HttpClientException e) {
            throw failed(url, "could not be read: " + firstLine(e.getMessage()));
        }
    }

    private static Optional<URI> endpoint(URI url, String name, @Nullable String value, boolean httpsRequired) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        URI endpoint;
        try {
            endpoint = ProviderEndpoints.requireHttpUrl(new URI(value), name);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw failed(url, "names a " + name + " that is not an absolute http(s) URL: '" + value + "'");
        }
        if (httpsRequired && !"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw failed(url, "names a " + name + " that is not https: " + endpoint);
        }
        return Optional.of(endpoint);
    }

    private static List<String> orEmpty(@Nullable List<String> values) {
        return values == null ? List.of() : values;
    }

    private static DiscoveryFailedException failed(URI url, String what) {
        return new DiscoveryFailedException("OpenID discovery failed: " + url + " " + what);
    }

    private static String firstLine(@Nullable String message) {
        return message == null ? "no answer" : message.lines().findFirst().orElse("no answer");
    }
}
