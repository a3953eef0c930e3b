package pot.login.sandbox;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.sandbox.AuthorizationCodes.Grant;
import pot.login.sandbox.AuthorizationRequest.Accepted;
import pot.login.sandbox.AuthorizationRequest.Refused;

/** Steps 4 and 5: the authorization endpoint, its login form, and the redirect back to the client. */
@Controller
class AuthorizePageController {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizePageController.class);

    private final SandboxSettings settings;
    private final AuthorizationCodes codes;
    private final Issuer issuer;

    AuthorizePageController(SandboxSettings settings, AuthorizationCodes codes, Issuer issuer) {
        this.settings = settings;
        this.codes = codes;
        this.issuer = issuer;
    }

    /** The authorization endpoint; it ignores {@code scope}, {@code grant_type} and {@code cancel_url}. */
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> authorize(HttpRequest<?> request) {
        Parameters parameters = Parameters.of(request.getParameters());
        return switch (AuthorizationRequest.check(parameters, settings)) {
            case Refused(String reason) -> {
                LOG.info("authorize client_id={}: refused, {}", LogText.of(parameters.get("client_id")), reason);
                yield Pages.error(HttpStatus.BAD_REQUEST, reason);
            }
            case Accepted(AuthorizationRequest accepted) -> {
                LOG.info("authorize client_id={}: login form shown", accepted.client().clientId());
                yield Pages.loginForm(HttpStatus.OK, accepted, "", null);
            }
        };
    }

    /** The login form's target: its hidden fields are the browser's to change, so the request is checked again. */
    @Post(uri = "/login", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<String> login(@Nullable @Body String body) {
        Optional<Parameters> form = Parameters.ofForm(body);
        if (form.isEmpty()) {
            LOG.info("sign-in: refused, malformed form");
            return Pages.error(HttpStatus.BAD_REQUEST, "the form is malformed");
        }
        Parameters parameters = form.get();
        return switch (AuthorizationRequest.check(parameters, settings)) {
            case Refused(String reason) -> {
                LOG.info("sign-in client_id={}: refused, {}", LogText.of(parameters.get("client_id")), reason);
                yield Pages.error(HttpStatus.BAD_REQUEST, reason);
            }
            case Accepted(AuthorizationRequest request) -> signIn(parameters, request);
        };
    }

    private HttpResponse<String> signIn(Parameters parameters, AuthorizationRequest request) {
        String clientId = request.client().clientId();
        String action = parameters.get("action");
        if ("cancel".equals(action)) {
            LOG.info("sign-in client_id={}: cancelled by the user", clientId);
            return Pages.redirect(request.callback(callbackParameters("error", "access_denied", request)));
        }
        if (!"sign-in".equals(action)) {
            LOG.info("sign-in client_id={}: refused, unknown action", clientId);
            return Pages.error(HttpStatus.BAD_REQUEST, "the form's action is unknown");
        }
        String username = Optional.ofNullable(parameters.get("username")).orElse("");
        Optional<DemoUser> user = settings.user(username)
                .filter(candidate -> candidate.hasPassword(parameters.get("password")));
        if (user.isEmpty()) {
            LOG.info("sign-in client_id={}: wrong username or password", clientId);
            return Pages.loginForm(HttpStatus.UNAUTHORIZED, request, username, "Wrong username or password.");
        }
        String code = codes.issue(
                new Grant(clientId, request.redirectUri(), request.codeChallenge(), user.get().username(),
                        request.openId(), request.openId() ? request.nonce() : null));
        LOG.info("sign-in client_id={} user={}: code issued", clientId, user.get().username());
        return Pages.redirect(request.callback(callbackParameters("code", code, request)));
    }

    /** The result, the state, and the issuer (RFC 9207), so the client can tell which portal answered. */
    private Map<String, String> callbackParameters(String name, String value, AuthorizationRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(name, value);
        parameters.put("state", request.state());
        parameters.put("iss", issuer.value());
        return parameters;
    }
}
