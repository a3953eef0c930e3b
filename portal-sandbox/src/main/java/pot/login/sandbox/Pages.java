package pot.login.sandbox;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import java.util.Base64;
import java.util.Map;

/** The portal's HTML: the login form, the error page and the redirects back to the client, with their headers. */
final class Pages {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;"
            + "padding:0 1rem;color:#222}label{display:block;margin:.75rem 0}input{display:block;width:100%;"
            + "padding:.4rem;box-sizing:border-box}button{margin:.75rem .5rem 0 0;padding:.4rem 1rem}"
            + ".message{color:#b00020}.note{color:#555;font-size:.9rem}";
    /** No inline script anywhere; the one inline style is allowed by its hash, not by 'unsafe-inline'. */
    private static final String STYLE_SOURCE =
            "'sha256-" + Base64.getEncoder().encodeToString(ConstantTime.sha256(STYLE)) + "'";
    private static final String CSP = "default-src 'none'; style-src " + STYLE_SOURCE
            + "; base-uri 'none'; frame-ancestors 'none'";

    private static final MediaType HTML_UTF8 = new MediaType(MediaType.TEXT_HTML, Map.of("charset", "utf-8"));

    private Pages() {
    }

    static MutableHttpResponse<String> loginForm(HttpStatus status, AuthorizationRequest request, String username,
                                                 String message) {
        StringBuilder hidden = new StringBuilder();
        for (Map.Entry<String, String> field : request.formFields().entrySet()) {
            hidden.append("<input type=\"hidden\" name=\"").append(escape(field.getKey()))
                    .append("\" value=\"").append(escape(field.getValue())).append("\">\n");
        }
        String body = """
                <h1>Sign in</h1>
                <p class="note">Platform of Trust login portal, local sandbox.
                <strong>%s</strong> asks you to sign in.</p>
                %s<form method="post" action="/login">
                %s<label>Username <input name="username" autocomplete="username" value="%s" autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password"></label>
                <button type="submit" name="action" value="sign-in">Sign in</button>
                <button type="submit" name="action" value="cancel">Cancel</button>
                </form>
                """.formatted(escape(request.client().clientId()),
                message == null ? "" : "<p class=\"message\" role=\"alert\">" + escape(message) + "</p>\n",
                hidden, escape(username));
        // Chromium applies form-action to the redirect that answers the POST, so the client's origin is allowed too.
        return html(status, "Sign in", body, CSP + "; form-action 'self' " + request.redirectOrigin());
    }

    static MutableHttpResponse<String> error(HttpStatus status, String reason) {
        String body = """
                <h1>Sign-in request refused</h1>
                <p class="message">The portal cannot process this sign-in request: %s.</p>
                <p class="note">Nothing was sent back to the application.
                Start the sign-in again from the application.</p>
                """.formatted(escape(reason));
        return html(status, "Sign-in request refused", body, CSP + "; form-action 'none'");
    }

    /** Back to the client: 302 Found, as the Platform of Trust portal answered; browsers follow it with a GET. */
    static MutableHttpResponse<String> redirect(String location) {
        return HttpResponse.<String>status(HttpStatus.FOUND)
                .header(HttpHeaders.LOCATION, location)
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static MutableHttpResponse<String> html(HttpStatus status, String title, String body, String csp) {
        String page = """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · Platform of Trust sandbox</title>
                <style>%s</style>
                </head>
                <body>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(escape(title), STYLE, body);
        return HttpResponse.<String>status(status)
                .contentType(HTML_UTF8)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Content-Security-Policy", csp)
                .body(page);
    }
}
