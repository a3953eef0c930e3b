package pot.login.sandbox;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The revocation endpoint (RFC 7009), next to the token endpoint: a client revokes its refresh token at sign-out, and
 * that token is then {@code invalid_grant} at the token endpoint. Access tokens are signed JWTs that this sandbox
 * keeps no record of, so revoking one is answered 200 and changes nothing (§2.2 allows a server not to).
 */
@Controller
class RevocationController {

    static final String PATH = "/api/auth/v1/oauth/token/revoke";

    private static final Logger LOG = LoggerFactory.getLogger(RevocationController.class);
    private static final List<String> FIELDS = List.of("token", "token_type_hint", "client_id", "client_secret");

    private final SandboxSettings settings;
    private final RefreshTokens refreshTokens;

    RevocationController(SandboxSettings settings, RefreshTokens refreshTokens) {
        this.settings = settings;
        this.refreshTokens = refreshTokens;
    }

    @Post(uri = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> revoke(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                           @Nullable @Body String body) {
        Optional<Parameters> form = Parameters.ofForm(body);
        if (form.isEmpty() || form.get().anyRepeated(FIELDS) || form.get().get("token") == null) {
            LOG.info("revocation request: refused, malformed form or no token");
            return refused(HttpStatus.BAD_REQUEST, "invalid_request", "the form is malformed or has no token");
        }
        // §2.1: the client authenticates as at the token endpoint.
        Optional<RegisteredClient> client = ClientCredentials.read(authorization, form.get())
                .flatMap(presented -> settings.client(presented.clientId())
                        .filter(registered -> registered.hasSecret(presented.secret())));
        if (client.isEmpty()) {
            LOG.info("revocation request: refused, client authentication failed");
            return refused(HttpStatus.UNAUTHORIZED, "invalid_client", "client authentication failed")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"portal-sandbox\", charset=\"UTF-8\"");
        }
        // The hint is only a hint (§2.1): a refresh token is looked up whatever it says.
        refreshTokens.revoke(form.get().get("token"), client.get().clientId());
        LOG.info("revocation request client_id={} token_type_hint={}: done", LogText.of(client.get().clientId()),
                LogText.of(form.get().get("token_type_hint")));
        return HttpResponse.ok().header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static MutableHttpResponse<OAuthError> refused(HttpStatus status, String error, String description) {
        return HttpResponse.status(status).body(new OAuthError(error, description))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
