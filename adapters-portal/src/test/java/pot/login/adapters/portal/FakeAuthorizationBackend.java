package pot.login.adapters.portal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The portal's token endpoint as the adapter may meet it: one path per behaviour, so each test points the adapter's
 * token path at the behaviour it needs. Records what it received, for the tests to inspect.
 */
@Requires(property = "spec.name", value = "MicronautHttpTokenExchangeTest")
@Controller("/token")
class FakeAuthorizationBackend {

    static final String ID_TOKEN = "eyJhbGciOiJSUzI1NiJ9.the-id-token.sig";
    static final String REFRESH_TOKEN = "the-rotated-refresh-token-8Qf3";
    static final String ACCESS_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLW9mLXRoZS1mYWtl";

    volatile Map<String, String> form;
    volatile String authorization;
    volatile String contentType;
    volatile String accept;

    @Post(uri = "/slow", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    CompletableFuture<HttpResponse<String>> slow(@Body Map<String, String> form) {
        return CompletableFuture.supplyAsync(() -> json(token("Bearer", 3600)),
                CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
    }

    @Post(uri = "/error/{error}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> error(String error, @Body Map<String, String> form) {
        // The description echoes the code, as some servers do: the adapter must not pass it on.
        String body = "{\"error\":\"" + error + "\",\"error_description\":\"code " + form.get("code")
                + " not accepted for client " + form.get("client_id") + ", refresh token " + form.get("refresh_token")
                + "\"}";
        HttpStatus status = "invalid_client".equals(error) ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST;
        return HttpResponse.<String>status(status).contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    @Post(uri = "/{behaviour}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> token(String behaviour, @Body Map<String, String> form,
                               @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                               @Nullable @Header(HttpHeaders.CONTENT_TYPE) String contentType,
                               @Nullable @Header(HttpHeaders.ACCEPT) String accept) {
        this.form = Map.copyOf(form);
        this.authorization = authorization;
        this.contentType = contentType;
        this.accept = accept;
        return switch (behaviour) {
            case "issued" -> json(token("Bearer", 86400));
            case "lowercase-bearer" -> json(token("bearer", 60));
            case "with-id-token" -> json(token("Bearer", 60).replace("{", "{\"id_token\":\"" + ID_TOKEN + "\","));
            case "with-refresh-token" -> json(token("Bearer", 60)
                    .replace("{", "{\"refresh_token\":\"" + REFRESH_TOKEN + "\","));
            case "mac-token" -> json(token("mac", 60));
            case "no-access-token" -> json("{\"token_type\":\"Bearer\",\"expires_in\":60}");
            case "blank-access-token" -> json("{\"access_token\":\" \",\"token_type\":\"Bearer\",\"expires_in\":60}");
            case "no-expiry" -> json("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\"}");
            case "zero-expiry" -> json(token("Bearer", 0));
            case "garbage-json" -> json("{\"access_token\": \"" + ACCESS_TOKEN + "\", oops");
            case "html" -> HttpResponse.ok("<html><body>Welcome " + ACCESS_TOKEN + "</body></html>")
                    .contentType(MediaType.TEXT_HTML_TYPE);
            case "empty" -> HttpResponse.ok();
            case "huge" -> json(token("Bearer", 60).replace(ACCESS_TOKEN,
                    ACCESS_TOKEN + "x".repeat(PortalClients.MAX_CONTENT_LENGTH * 2)));
            case "not-rfc6749-error" -> HttpResponse.<String>badRequest()
                    .contentType(MediaType.APPLICATION_JSON_TYPE).body("{\"error\":\"code_already_used\"}");
            case "not-found" -> HttpResponse.<String>notFound().contentType(MediaType.TEXT_HTML_TYPE)
                    .body("<html>no such page</html>");
            case "unauthorized-without-body" -> HttpResponse.unauthorized();
            case "redirect" -> HttpResponse.<String>status(HttpStatus.TEMPORARY_REDIRECT)
                    .header(HttpHeaders.LOCATION, "http://127.0.0.1:1/elsewhere");
            case "500" -> HttpResponse.serverError("{\"error\":\"server_error\"}");
            case "502" -> HttpResponse.status(HttpStatus.BAD_GATEWAY);
            case "503" -> HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.TEXT_HTML_TYPE).body("<html>maintenance</html>");
            default -> throw new IllegalArgumentException("no behaviour " + behaviour);
        };
    }

    private static String token(String tokenType, int expiresIn) {
        return "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"" + tokenType + "\",\"expires_in\":"
                + expiresIn + ",\"scope\":\"\"}";
    }

    private static HttpResponse<String> json(String body) {
        return HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
