package pot.login.adapters.portal;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.AccessToken;
import pot.login.domain.port.out.LookupResult;
import pot.login.domain.port.out.UserDirectory;
import pot.login.domain.port.out.UserProfile;

/**
 * The user lookup over Micronaut's HTTP client: {@code GET {api-root}{me-path}} with the user's token as a bearer
 * token, answered with Platform of Trust's JSON-LD person. Blocking, like the rest of the flow. The token never reaches
 * a log line or a {@code detail}.
 *
 * <p>The person's {@code @id} must be the token's {@code sub} (the portal identifies a person by the same id in both,
 * as the sandbox does): a person for anyone else is a bad response, never a profile.
 */
public final class MicronautHttpUserDirectory implements UserDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(MicronautHttpUserDirectory.class);

    private final HttpClient portal;
    private final String mePath;

    /**
     * @param portal a client whose base URL is the portal's API root, with timeouts and max content length from
     *               configuration
     * @param mePath the user endpoint below the API root; Platform of Trust's is {@code /api/me}
     */
    public MicronautHttpUserDirectory(HttpClient portal, String mePath) {
        this.portal = Objects.requireNonNull(portal, "portal");
        this.mePath = Objects.requireNonNull(mePath, "mePath");
        PortalPaths.requireRelative(mePath, "user path");
    }

    @Override
    public LookupResult lookUp(AccessToken token, String subject) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(subject, "subject");
        try {
            HttpResponse<JsonNode> response = portal.toBlocking().exchange(
                    HttpRequest.GET(mePath).bearerAuth(token.value()).accept(MediaType.APPLICATION_JSON_TYPE),
                    JsonNode.class);
            return found(response, subject);
        } catch (HttpClientResponseException e) {
            return refused(e.code());
        } catch (HttpClientException e) {
            return failed(PortalFailure.ofTransport(e));
        }
    }

    private static LookupResult found(HttpResponse<JsonNode> response, String subject) {
        int status = response.code();
        if (status != HttpStatus.OK.getCode()) {
            return failed(PortalFailure.ofStatus(status));
        }
        Optional<JsonNode> body = response.getBody();
        if (body.isEmpty()) {
            return failed(PortalFailure.badResponse(status, "user response without a JSON body"));
        }
        return switch (PersonDocument.read(body.get())) {
            case PersonDocument.Reading.Person(UserProfile profile) when !profile.id().equals(subject) -> {
                // Both are identifiers, not secrets: the log line says whom the answer was about instead.
                LOG.warn("User lookup: the portal described @id={} for a token whose sub={}",
                        RefusedTokenFields.safe(profile.id()), RefusedTokenFields.safe(subject));
                yield failed(PortalFailure.badResponse(status, "user document for another subject"));
            }
            case PersonDocument.Reading.Person(UserProfile profile) -> new LookupResult.Found(profile);
            case PersonDocument.Reading.Unusable(String detail) -> failed(PortalFailure.badResponse(status, detail));
        };
    }

    private static LookupResult refused(int status) {
        if (status == HttpStatus.UNAUTHORIZED.getCode() || status == HttpStatus.FORBIDDEN.getCode()) {
            LOG.debug("User lookup: the portal refused the token (status {})", status);
            return new LookupResult.TokenRefused();
        }
        if (status < 400) {
            // Micronaut reports a 2xx whose body it could not decode this way.
            return failed(PortalFailure.badResponse(status, "unreadable user document"));
        }
        return failed(PortalFailure.ofStatus(status));
    }

    private static LookupResult failed(PortalFailure failure) {
        // The detail is our own words (which field, which status), never the portal's answer or the token.
        LOG.warn("User lookup failed: reason={} status={} ({})", failure.reason().rejection().code(),
                failure.statusText(), failure.detail());
        return new LookupResult.Failed(failure.reason().rejection(), failure.detail());
    }
}
