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

/** An OpenID Connect provider's userinfo endpoint: one path per behaviour; it knows one valid token, of sub "alice". */
@Requires(property = "spec.name", value = "MicronautHttpOidcUserDirectoryTest")
@Controller("/userinfo")
class FakeUserinfoEndpoint {

    static final String VALID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.dmFsaWQtdXNlcmluZm8tdG9rZW4";
    static final String SUBJECT = "alice";

    volatile String accept;

    @Get("/slow")
    CompletableFuture<HttpResponse<String>> slow() {
        return CompletableFuture.supplyAsync(() -> json("{\"sub\":\"alice\"}"),
                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
    }

    @Get("/{behaviour}")
    HttpResponse<String> userinfo(String behaviour, @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                  @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        this.accept = accept;
        if (!("Bearer " + VALID_TOKEN).equals(authorization)) {
            return HttpResponse.<String>unauthorized()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        return switch (behaviour) {
            case "full" -> json("""
                    {"sub": "alice", "name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell",
                     "preferred_username": "alice.l", "email": "alice@example.test", "email_verified": true,
                     "address": {"country": "FI"}, "updated_at": 1764583200}""");
            case "given-and-family" -> json("""
                    {"sub": "alice", "given_name": "Alice", "family_name": "Liddell", "name": null}""");
            case "username-only" -> json("{\"sub\": \"alice\", \"preferred_username\": \"alice.l\"}");
            case "sub-only" -> json("{\"sub\": \"alice\"}");
            case "another-subject" -> json("{\"sub\": \"mallory\", \"name\": \"Alice Liddell\"}");
            case "no-sub" -> json("{\"name\": \"Alice Liddell\"}");
            case "numeric-sub" -> json("{\"sub\": 42}");
            case "name-object" -> json("{\"sub\": \"alice\", \"name\": {\"fi\": \"Liisa\"}}");
            case "email-array" -> json("{\"sub\": \"alice\", \"email\": [\"a@example.test\"]}");
            case "garbage" -> json("{\"sub\": \"alice\", ");
            case "array" -> json("[{\"sub\": \"alice\"}]");
            case "jwt" -> HttpResponse.ok("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmVk")
                    .contentType(MediaType.of("application/jwt"));
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
