package pot.login.bench;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.Map;

/**
 * The peer's landing page (where its login success redirects) and its {@code /me}, which names the user from its
 * session (the name was looked up at the portal at sign-in).
 */
@Controller
@Requires(property = PeerApp.ENABLED, value = "true")
class PeerController {

    @Get(produces = MediaType.TEXT_HTML)
    @Secured(SecurityRule.IS_ANONYMOUS)
    String landing() {
        return "<!doctype html><title>peer</title><p>Signed in. <a href=\"/me\">Who am I</a></p>";
    }

    @Get(value = "/me", produces = MediaType.APPLICATION_JSON)
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<Map<String, Object>> me(Authentication authentication) {
        return HttpResponse.ok(Map.<String, Object>of("id", authentication.getName(),
                        "name", authentication.getAttributes().getOrDefault("name", "")))
                .header("Cache-Control", "no-store");
    }
}
