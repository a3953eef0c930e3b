package pot.login.app.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An HTTP client that behaves like one browser profile, one hop at a time: it never follows redirects by itself, and
 * keeps a cookie jar per host (host-only cookies, as {@code __Host-} cookies are), so a test sees and checks every step.
 */
public final class ScriptedBrowser {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Map<String, Map<String, String>> cookiesByHost = new LinkedHashMap<>();
    private final List<HttpResponse<String>> history = new java.util.ArrayList<>();

    public HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET(), uri);
    }

    public HttpResponse<String> get(String uri) {
        return get(URI.create(uri));
    }

    /** A form POST, with the Origin header a browser would send from a page with the given origin. */
    public HttpResponse<String> postForm(URI uri, Map<String, String> form, String origin) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", origin)
                .POST(HttpRequest.BodyPublishers.ofString(body)), uri);
    }

    /** A POST that a page on {@code origin} made this browser send (a form on another site, say). */
    public HttpResponse<String> postFrom(URI uri, String origin) {
        return send(HttpRequest.newBuilder(uri).header("Origin", origin)
                .header("Sec-Fetch-Site", origin.equals(uri.getScheme() + "://" + uri.getAuthority()) ? "same-origin"
                        : "cross-site")
                .POST(HttpRequest.BodyPublishers.noBody()), uri);
    }

    public HttpResponse<String> post(URI uri) {
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()), uri);
    }

    /** The value of a cookie this browser holds for a host, or null. */
    public String cookie(URI site, String name) {
        return cookiesByHost.getOrDefault(site.getHost(), Map.of()).get(name);
    }

    /** The cookies this browser holds for a host, name to value. */
    public Map<String, String> cookies(URI site) {
        return Map.copyOf(cookiesByHost.getOrDefault(site.getHost(), Map.of()));
    }

    /**
     * The {@code Cookie} header this browser sends to a host ("a=1; b=2"; empty when it holds none), for a request a
     * test sends some other way (a raw socket, a client with other timeouts).
     */
    public String cookieHeader(URI site) {
        return cookiesByHost.getOrDefault(site.getHost(), Map.of()).entrySet().stream()
                .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                .collect(Collectors.joining("; "));
    }

    /** Puts a cookie into the jar by hand, as an attacker or a stale copy of a cookie would. */
    public void plantCookie(URI site, String name, String value) {
        cookiesByHost.computeIfAbsent(site.getHost(), host -> new LinkedHashMap<>()).put(name, value);
    }

    /** Every response this browser received, in order. */
    public List<HttpResponse<String>> history() {
        return List.copyOf(history);
    }

    /** A GET as a script in this browser makes it, asking for another media type than a page. */
    public HttpResponse<String> getAccepting(URI uri, String accept) {
        return send(HttpRequest.newBuilder(uri).GET(), uri, accept);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) {
        return send(request, uri, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri, String accept) {
        request.header("Accept", accept)
                .timeout(Duration.ofSeconds(15));
        Map<String, String> jar = cookiesByHost.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>());
        if (!jar.isEmpty()) {
            request.header("Cookie", cookieHeader(uri));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            history.add(response);
            response.headers().allValues("Set-Cookie").forEach(setCookie -> store(jar, setCookie));
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void store(Map<String, String> jar, String setCookie) {
        String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
        boolean expired = attributes(setCookie).contains("max-age=0");
        if (expired) {
            jar.remove(nameValue[0]);
        } else {
            jar.put(nameValue[0], nameValue.length > 1 ? nameValue[1] : "");
        }
    }

    /** Where a redirect points, resolved against the request's URI. */
    public static URI location(HttpResponse<?> response) {
        return response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("no Location on a " + response.statusCode() + " from " + response.uri())));
    }

    /**
     * Fills in and submits the portal's login form the way a browser would: every field of the form, plus ours, and
     * the Origin header Chromium sends ("null" from a page whose Referrer-Policy is no-referrer, else its origin).
     */
    public HttpResponse<String> signInAtPortal(URI authorize, String username, String password, String action) {
        HttpResponse<String> page = get(authorize);
        if (page.statusCode() != 200) {
            throw new AssertionError("the portal's login form answered " + page.statusCode());
        }
        org.jsoup.nodes.Element form = org.jsoup.Jsoup.parse(page.body(), authorize.toString()).selectFirst("form");
        if (form == null) {
            throw new AssertionError("the portal's page has no form");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (org.jsoup.nodes.Element input : form.select("input[name]")) {
            fields.put(input.attr("name"), input.attr("value"));
        }
        fields.put("username", username);
        fields.put("password", password);
        fields.put("action", action);
        boolean noReferrer = page.headers().firstValue("Referrer-Policy").filter("no-referrer"::equals).isPresent();
        String origin = noReferrer ? "null" : authorize.getScheme() + "://" + authorize.getRawAuthority();
        return postForm(URI.create(form.absUrl("action")), fields, origin);
    }

    /** A query parameter as it stands in the URI (still percent-encoded), or null. */
    public static String queryParameter(URI uri, String name) {
        if (uri.getRawQuery() == null) {
            return null;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** The {@code Set-Cookie} header a response sent for the cookie {@code name}, attributes and all. */
    public static String setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie set by " + response.uri()));
    }

    /** The value a {@code Set-Cookie} header sets: what stands between "name=" and the first ";". */
    public static String value(String setCookie) {
        return setCookie.split(";", 2)[0].split("=", 2)[1];
    }

    /** The attributes after name=value, trimmed and lower-cased. */
    public static List<String> attributes(String setCookie) {
        return java.util.Arrays.stream(setCookie.split(";")).skip(1)
                .map(attribute -> attribute.trim().toLowerCase(Locale.ROOT))
                .toList();
    }
}
