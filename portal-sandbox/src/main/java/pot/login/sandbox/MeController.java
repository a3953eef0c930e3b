package pot.login.sandbox;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import java.util.Optional;

/** The user lookup: who the bearer of an access token is. */
@Controller
class MeController {

    private final AccessTokens tokens;
    private final SandboxSettings settings;

    MeController(AccessTokens tokens, SandboxSettings settings) {
        this.tokens = tokens;
        this.settings = settings;
    }

    @Get(uri = "/api/me", produces = MediaType.APPLICATION_JSON)
    HttpResponse<?> me(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<DemoUser> user = bearerToken(authorization)
                .flatMap(tokens::verify)
                .flatMap(settings::user);
        if (user.isEmpty()) {
            return HttpResponse.status(HttpStatus.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"portal-sandbox\", error=\"invalid_token\"")
                    .body(new OAuthError("invalid_token", "a valid bearer token from this portal is required"));
        }
        return HttpResponse.ok(Person.of(user.get()));
    }

    private static Optional<String> bearerToken(String authorization) {
        String scheme = "Bearer ";
        if (authorization == null || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(scheme.length()).trim()).filter(token -> !token.isEmpty());
    }
}
