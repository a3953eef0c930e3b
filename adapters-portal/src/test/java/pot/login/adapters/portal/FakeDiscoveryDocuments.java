package pot.login.adapters.portal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Provider;
import java.util.concurrent.atomic.AtomicInteger;

/** Discovery documents of several providers, one per issuer path: {@code {server}/{provider}}. */
@Requires(property = "spec.name", value = "OpenIdDiscoveryTest")
@Controller
class FakeDiscoveryDocuments {

    final AtomicInteger fetches = new AtomicInteger();
    private final Provider<EmbeddedServer> server;

    FakeDiscoveryDocuments(Provider<EmbeddedServer> server) {
        this.server = server;
    }

    @Get(uri = "/{provider}/.well-known/openid-configuration", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> document(String provider) {
        fetches.incrementAndGet();
        String issuer = server.get().getURL() + "/" + provider;
        return switch (provider) {
            case "complete" -> HttpResponse.ok(document(issuer, "https://login.example"));
            case "minimal" -> HttpResponse.ok("""
                    {"issuer":"%s","authorization_endpoint":"https://login.example/authorize",
                     "token_endpoint":"https://tokens.example/token","jwks_uri":"https://keys.example/jwks",
                     "response_types_supported":["code"]}""".formatted(issuer));
            case "impostor" -> HttpResponse.ok(document("https://impostor.example", "https://login.example"));
            case "plaintext" -> HttpResponse.ok(document(issuer, "http://login.example"));
            case "no-token-endpoint" -> HttpResponse.ok("""
                    {"issuer":"%s","authorization_endpoint":"https://login.example/authorize"}""".formatted(issuer));
            case "garbage" -> HttpResponse.ok("<html>not json</html>");
            default -> HttpResponse.notFound("no such provider");
        };
    }

    /** RFC 8414 §3.1: the metadata of an OAuth 2.0 server, whose well-known path comes before the issuer's path. */
    @Get(uri = "/.well-known/oauth-authorization-server/{provider}", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> authorizationServerMetadata(String provider) {
        fetches.incrementAndGet();
        String issuer = server.get().getURL() + "/" + provider;
        return switch (provider) {
            case "oauth-only", "complete" -> HttpResponse.ok(document(issuer, "https://oauth.example"));
            case "oauth-impostor" -> HttpResponse.ok(document("https://impostor.example", "https://oauth.example"));
            default -> HttpResponse.notFound("no such provider");
        };
    }

    static String document(String namedIssuer, String origin) {
        return """
                {"issuer":"%s",
                 "authorization_endpoint":"%s/authorize",
                 "token_endpoint":"%s/token",
                 "userinfo_endpoint":"%s/userinfo",
                 "jwks_uri":"%s/jwks",
                 "end_session_endpoint":"%s/logout",
                 "revocation_endpoint":"%s/revoke",
                 "code_challenge_methods_supported":["S256","plain"],
                 "token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"],
                 "authorization_response_iss_parameter_supported":true,
                 "ignored_by_us":{"nested":[1,2]}}""".formatted(namedIssuer, origin, origin, origin, origin, origin,
                origin);
    }
}
