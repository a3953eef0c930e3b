package pot.login.adapters.portal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The portal's user endpoint: one path per behaviour; it knows one valid token. */
@Requires(property = "spec.name", value = "MicronautHttpUserDirectoryTest")
@Controller("/me")
class FakeUserEndpoint {

    static final String VALID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.dmFsaWQtdXNlci10b2tlbg";

    volatile String accept;

    @Get("/slow")
    CompletableFuture<HttpResponse<String>> slow() {
        return CompletableFuture.supplyAsync(() -> json("{\"@id\":\"slow\"}"),
                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
    }

    @Get("/{behaviour}")
    HttpResponse<String> me(String behaviour, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                            @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        this.accept = accept;
        if (!("Bearer " + VALID_TOKEN).equals(authorization)) {
            return HttpResponse.<String>unauthorized().header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return switch (behaviour) {
            case "person" -> json("""
                    {"@context": "https://standards.oftrust.net/v2/Context/Identity/LegalParty/Person/",
                     "@type": "Person", "@id": "a8c4a0a2-5b5e-4f8c-9a45-7f0c5c1b7e10",
                     "firstName": "Demo", "lastName": "User", "email": "demo@example.test",
                     "createdAt": "2024-01-01T00:00:00Z", "roles": ["user"]}""");
            case "another-person" -> json("{\"@type\":\"Person\",\"@id\":\"someone-else\",\"firstName\":\"Eve\"}");
            case "person-without-names" -> json("{\"@type\":\"Person\",\"@id\":\"b1\"}");
            case "person-without-id" -> json("{\"@type\":\"Person\",\"firstName\":\"Demo\"}");
            case "person-with-null-id" -> json("{\"@id\":null,\"firstName\":\"Demo\"}");
            case "person-with-numeric-id" -> json("{\"@id\":42,\"firstName\":\"Demo\"}");
            case "person-with-blank-id" -> json("{\"@id\":\" \",\"firstName\":\"Demo\"}");
            case "person-with-listed-first-name" -> json("{\"@id\":\"b1\",\"firstName\":[\"Demo\"]}");
            case "person-with-object-last-name" -> json("{\"@id\":\"b1\",\"lastName\":{\"value\":\"User\"}}");
            case "person-with-boolean-email" -> json("{\"@id\":\"b1\",\"email\":true}");
            case "people" -> json("[{\"@id\":\"b1\"}]");
            case "garbage" -> json("{\"@id\": \"b1\", ");
            case "html" -> HttpResponse.ok("<html>sign in first</html>").contentType(MediaType.TEXT_HTML_TYPE);
            case "forbidden" -> HttpResponse.status(HttpStatus.FORBIDDEN);
            case "not-found" -> HttpResponse.notFound();
            case "500" -> HttpResponse.serverError();
            case "503" -> HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE);
            default -> throw new IllegalArgumentException("no behaviour " + behaviour);
        };
    }

    private static HttpResponse<String> json(String body) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
