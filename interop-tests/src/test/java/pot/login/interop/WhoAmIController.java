package pot.login.interop;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/** A page of the micronaut-security-oauth2 client app that only a signed-in user may see: it names them. */
@Controller("/whoami")
@Secured(SecurityRule.IS_AUTHENTICATED)
@Requires(property = "spec.name", value = MicronautOauthClientAgainstSandboxTest.SPEC)
class WhoAmIController {

    @Get(produces = MediaType.TEXT_PLAIN)
    String whoami(Authentication authentication) {
        return authentication.getName();
    }
}
