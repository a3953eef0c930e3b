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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.sandbox.CodeExchange.Issued;
import pot.login.sandbox.CodeExchange.Refused;

/** The token endpoint, at the path of the Platform of Trust seed documentation. */
@Controller
class TokenController {

    static final String PATH = "/api/auth/v1/oauth/token/request";

    private static final Logger LOG = LoggerFactory.getLogger(TokenController.class);

    private final CodeExchange exchange;

    TokenController(CodeExchange exchange) {
        this.exchange = exchange;
    }

    @Post(uri = PATH, consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> token(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                          @Nullable @Body String body) {
        Optional<Parameters> form = Parameters.ofForm(body);
        if (form.isEmpty()) {
            LOG.info("token request: refused, malformed form");
            return error(HttpStatus.BAD_REQUEST, new Refused(CodeExchange.Error.INVALID_REQUEST, "malformed form"));
        }
        Optional<ClientCredentials> credentials = ClientCredentials.read(authorization, form.get());
        String clientId = LogText.of(
                credentials.map(ClientCredentials::clientId).orElseGet(() -> form.get().get("client_id")));
        CodeExchange.Outcome outcome = exchange.exchange(credentials, form.get());
        return switch (outcome) {
            case Issued(String issuedTo, AccessTokens.SignedToken token, String idToken, String refreshToken) -> {
                LOG.info("token request client_id={} grant_type={}: token issued{}{}", issuedTo,
                        LogText.of(form.get().get("grant_type")), idToken == null ? "" : " with an ID token",
                        refreshToken == null ? "" : " and a refresh token");
                yield HttpResponse.ok(TokenResponse.bearer(token, idToken, refreshToken))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store");
            }
            case Refused refused -> refusal(clientId, refused);
        };
    }

    private static MutableHttpResponse<?> refusal(String clientId, Refused refused) {
        LOG.info("token request client_id={}: {}, {}", clientId, refused.error().code(), refused.description());
        if (refused.error() == CodeExchange.Error.INVALID_CLIENT) {
            // RFC 6749 §5.2 asks for 401 and a challenge when the client tried Basic; 401 always carries one.
            return error(HttpStatus.UNAUTHORIZED, refused)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"portal-sandbox\", charset=\"UTF-8\"");
        }
        return error(HttpStatus.BAD_REQUEST, refused);
    }

    private static MutableHttpResponse<OAuthError> error(HttpStatus status, Refused refused) {
        return HttpResponse.status(status)
                .body(new OAuthError(refused.error().code(), refused.description()))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
