package pot.login.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One browser of the load: its own HTTP/1.1 client (own connections), its own cookie jar per host, no redirects
 * followed. Not the tests' {@code ScriptedBrowser}: that one shares one client between browsers and keeps every
 * response it received, which a load of thousands of sign-ins per user cannot afford.
 */
final class LoadBrowser {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Map<String, String>> jar = new LinkedHashMap<>();

    HttpResponse<String> get(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).GET(), uri);
    }

    HttpResponse<String> postForm(URI uri, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), uri);
    }

    String cookie(URI site, String name) {
        return jar.getOrDefault(site.getHost(), Map.of()).get(name);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, URI uri) throws Exception {
        request.header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .timeout(Duration.ofSeconds(30));
        Map<String, String> cookies = jar.computeIfAbsent(uri.getHost(), host -> new LinkedHashMap<>());
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
            String lower = setCookie.toLowerCase(Locale.ROOT);
            if (lower.contains("max-age=0") || nameValue.length < 2 || nameValue[1].isEmpty()) {
                cookies.remove(nameValue[0]);
            } else {
                cookies.put(nameValue[0], nameValue[1]);
            }
        }
        return response;
    }
}
