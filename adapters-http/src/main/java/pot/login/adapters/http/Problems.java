package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * Every error this app sends, in one shape: RFC 9457 {@code application/problem+json} for clients that take JSON,
 * a small HTML page for browsers; both carry the stable {@code code}. The detail is always our own text, never an
 * echo of the request, so nothing a client sent (a code, a state) comes back in an error.
 */
public final class Problems {

    public static final MediaType PROBLEM_JSON = MediaType.of("application/problem+json");

    private Problems() {
    }

    public static MutableHttpResponse<?> respond(HttpRequest<?> request, HttpStatus status, String code, String title,
                                                 String detail) {
        MutableHttpResponse<Object> response = HttpResponse.status(status);
        return respond(request, response, code, title, detail);
    }

    /** Fills {@code response} (whose status is already set) with the problem body that suits the client. */
    public static MutableHttpResponse<?> respond(HttpRequest<?> request, MutableHttpResponse<?> response, String code,
                                                 String title, String detail) {
        response.header("Cache-Control", "no-store");
        if (wantsHtml(request)) {
            return response.contentType(MediaType.TEXT_HTML_TYPE).body(Html.page(title, """
                    <p>%s</p>
                    <p class="code">Error code: <code>%s</code></p>
                    <p><a href="/">Back to the start page</a></p>
                    """.formatted(Html.escape(detail), Html.escape(code))));
        }
        return response.contentType(PROBLEM_JSON)
                .body(new Problem("urn:pot-login:problem:" + code, title, response.code(), detail, code));
    }

    /** HTML only for a client that asks for it and does not also take JSON: API clients get problem+json. */
    static boolean wantsHtml(HttpRequest<?> request) {
        var accepted = request.accept();
        return accepted.stream().anyMatch(type -> type.matches(MediaType.TEXT_HTML_TYPE))
                && accepted.stream().noneMatch(type -> type.matchesExtension(MediaType.EXTENSION_JSON));
    }
}
