package pot.login.adapters.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/**
 * The head of the OpenAPI description that micronaut-openapi writes from these controllers at compile time
 * (published as docs/openapi.yml; the health endpoints come from src/main/openapi).
 */
@OpenAPIDefinition(info = @Info(title = "pot-login", version = "0.1.0",
        description = "The browser login of Platform of Trust: the OAuth 2.0 authorization-code flow by which a web "
                + "app's backend signs its users in. Errors are RFC 9457 problem+json for clients that accept JSON, "
                + "else an HTML page; both carry a stable `code`."))
final class ApiDescription {

    private ApiDescription() {
    }
}
