package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;

/** Talks to a running sandbox over real HTTP, as a browser (no redirects followed) and as a client backend would. */
final class PortalClient {

    static final String REDIRECT_URI = "http://localhost:9999/login/complete";
    static final RegisteredClient CLIENT = new RegisteredClient("test-client", "test-secret:with+odd&chars",
            List.of(REDIRECT_URI, "http://localhost:9999/other?tenant=a"));
    static final RegisteredClient OTHER_CLIENT = new RegisteredClient("other-client", "other-client-secret",
            List.of(REDIRECT_URI));
    static final String VERIFIER = "dBjftJeZ4CVP-mJ92K9HJiIeDpjCm6W1uoxZ-0Qf5ABC";
    static final String TOKEN_PATH = "/api/auth/v1/oauth/token/request";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final URI base;

    PortalClient(PortalSandbox sandbox) {
        this.base = sandbox.uri();
    }

    static SandboxSettings settings() {
        return SandboxSettings.defaults().withPort(0).withClients(List.of(CLIENT, OTHER_CLIENT));
    }

    /** A valid authorization request of {@link #CLIENT}, to vary. */
    static Map<String, String> authorizeRequest() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", CLIENT.clientId());
        parameters.put("redirect_uri", REDIRECT_URI);
        parameters.put("state", "state-123");
        return parameters;
    }

    static Map<String, String> withPkce(Map<String, String> request) {
        request.put("code_challenge", challengeOf(VERIFIER));
        request.put("code_challenge_method", "S256");
        return request;
    }

    HttpResponse<String> authorize(Map<String, String> parameters) {
        return get("/?" + form(parameters), Map.of());
    }

    HttpResponse<String> get(String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET();
        headers.forEach(request::header);
        return send(request);
    }

    HttpResponse<String> postForm(String path, Map<String, String> fields, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        headers.forEach(request::header);
        return send(request);
    }

    /** Fills in the login form the authorize request shows, as a browser submits it with the clicked button. */
    HttpResponse<String> submitLoginForm(Map<String, String> authorizeRequest, String username, String password,
                                         String action) {
        HttpResponse<String> page = authorize(authorizeRequest);
        assertThat(page.statusCode()).isEqualTo(200);
        Element form = Jsoup.parse(page.body()).selectFirst("form");
        assertThat(form).isNotNull();
        Map<String, String> fields = new LinkedHashMap<>();
        form.select("input[type=hidden]").forEach(input -> fields.put(input.attr("name"), input.attr("value")));
        fields.put("username", username);
        fields.put("password", password);
        fields.put("action", action);
        return postForm(form.attr("action"), fields, Map.of("Origin", originOfAFormPost(page)));
    }

    /**
     * The Origin header a browser sends with a form POST from this page: Chromium sends "null" when the page's
     * Referrer-Policy is no-referrer, else the page's origin. The portal must accept what a real browser sends.
     */
    private String originOfAFormPost(HttpResponse<String> page) {
        boolean noReferrer = page.headers().firstValue("Referrer-Policy").filter("no-referrer"::equals).isPresent();
        return noReferrer ? "null" : base.getScheme() + "://" + base.getRawAuthority();
    }

    /** Signs in as demo / demo and returns the code from the callback. */
    String code(Map<String, String> authorizeRequest) {
        HttpResponse<String> callback = submitLoginForm(authorizeRequest, "demo", "demo", "sign-in");
        assertThat(callback.statusCode()).isEqualTo(302);
        return query(location(callback)).get("code");
    }

    /** A token request of {@link #CLIENT} with client_secret_post, to vary. */
    static Map<String, String> tokenRequest(String code) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("code", code);
        fields.put("redirect_uri", REDIRECT_URI);
        fields.put("client_id", CLIENT.clientId());
        fields.put("client_secret", CLIENT.clientSecret());
        return fields;
    }

    HttpResponse<String> token(Map<String, String> fields) {
        return postForm(TOKEN_PATH, fields, Map.of());
    }

    static String basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static URI location(HttpResponse<?> response) {
        return URI.create(response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("no Location on a " + response.statusCode())));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            String[] nameAndValue = pair.split("=", 2);
            parameters.put(URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
