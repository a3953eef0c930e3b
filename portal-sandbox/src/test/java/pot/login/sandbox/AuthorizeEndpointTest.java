package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.PortalClient.authorizeRequest;
import static pot.login.sandbox.PortalClient.location;
import static pot.login.sandbox.PortalClient.query;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Steps 4 and 5: the authorization endpoint, the login form, and the way back to the client. */
class AuthorizeEndpointTest extends AgainstOneSandbox {

    @Test
    void renders_a_login_form_that_carries_the_request() {
        HttpResponse<String> page = portal.authorize(PortalClient.withPkce(authorizeRequest()));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html").containsIgnoringCase("charset=utf-8"));
        Element form = Jsoup.parse(page.body()).selectFirst("form");
        assertThat(form.attr("method")).isEqualTo("post");
        assertThat(form.attr("action")).isEqualTo("/login");
        assertThat(form.select("input[name=username]")).hasSize(1);
        assertThat(form.select("input[name=password][type=password]")).hasSize(1);
        assertThat(form.select("button[name=action]").eachAttr("value")).containsExactly("sign-in", "cancel");
        assertThat(form.select("button[name=action]").eachText()).containsExactly("Sign in", "Cancel");
        assertThat(form.select("input[type=hidden]").eachAttr("name")).containsExactly("response_type", "client_id",
                "redirect_uri", "state", "code_challenge", "code_challenge_method");
        assertThat(form.selectFirst("input[name=state]").attr("value")).isEqualTo("state-123");
    }

    @Test
    void protects_its_pages_with_headers() {
        HttpResponse<String> page = portal.authorize(authorizeRequest());

        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'",
                "form-action 'self' http://localhost:9999").doesNotContain("unsafe-inline", "script-src");
        assertThat(Jsoup.parse(page.body()).select("script")).isEmpty();
    }

    @Test
    void accepts_and_ignores_the_extra_parameters_the_platform_of_trust_portal_received() {
        Map<String, String> request = authorizeRequest();
        request.put("grant_type", "authorization");
        request.put("cancel_url", "http://localhost:9999/cancelled");
        request.put("scope", "openid");

        assertThat(portal.authorize(request).statusCode()).isEqualTo(200);
    }

    @Test
    void escapes_what_it_echoes() {
        Map<String, String> request = authorizeRequest();
        request.put("state", "\"><script>alert(1)</script>");

        HttpResponse<String> page = portal.authorize(request);

        assertThat(page.body()).doesNotContain("<script>");
        assertThat(Jsoup.parse(page.body()).selectFirst("input[name=state]").attr("value"))
                .isEqualTo("\"><script>alert(1)</script>");
    }

    static Stream<Arguments> invalid_requests() {
        return Stream.of(
                invalid("an unknown client", request -> request.put("client_id", "unknown-client")),
                invalid("no client", request -> request.remove("client_id")),
                invalid("a redirect_uri one character longer",
                        request -> request.put("redirect_uri", PortalClient.REDIRECT_URI + "/")),
                invalid("a redirect_uri one character different",
                        request -> request.put("redirect_uri", PortalClient.REDIRECT_URI.replace("9999", "9998"))),
                invalid("a redirect_uri of another case",
                        request -> request.put("redirect_uri", PortalClient.REDIRECT_URI.toUpperCase())),
                invalid("a redirect_uri of another client's registration",
                        request -> request.put("redirect_uri", "http://localhost:8080/login/complete")),
                invalid("no redirect_uri", request -> request.remove("redirect_uri")),
                invalid("response_type token", request -> request.put("response_type", "token")),
                invalid("no state", request -> request.remove("state")),
                invalid("a plain code challenge", request -> {
                    request.put("code_challenge", PortalClient.challengeOf(PortalClient.VERIFIER));
                    request.put("code_challenge_method", "plain");
                }),
                invalid("a code challenge without a method",
                        request -> request.put("code_challenge", PortalClient.challengeOf(PortalClient.VERIFIER))),
                invalid("a code challenge that is no S256 hash", request -> {
                    request.put("code_challenge", "too-short");
                    request.put("code_challenge_method", "S256");
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid_requests")
    void shows_an_error_page_never_a_redirect_for_an_invalid_request(String what, Map<String, String> request) {
        HttpResponse<String> page = portal.authorize(request);

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.body()).contains("Sign-in request refused");
    }

    @Test
    void refuses_a_repeated_parameter() {
        HttpResponse<String> page = portal.get("/?" + "response_type=code&client_id=test-client&redirect_uri="
                + "http%3A%2F%2Flocalhost%3A9999%2Flogin%2Fcomplete&state=a&state=b", Map.of());

        assertThat(page.statusCode()).isEqualTo(400);
    }

    @Test
    void signing_in_redirects_to_the_client_with_a_code_the_state_and_the_issuer() {
        HttpResponse<String> callback = portal.submitLoginForm(authorizeRequest(), "demo", "demo", "sign-in");

        assertThat(callback.statusCode()).isEqualTo(302);
        assertThat(callback.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(location(callback).toString()).startsWith(PortalClient.REDIRECT_URI + "?code=");
        Map<String, String> parameters = query(location(callback));
        assertThat(parameters).containsOnlyKeys("code", "state", "iss")
                .containsEntry("state", "state-123")
                .containsEntry("iss", sandbox.issuer());
        // 32 random bytes, base64url: 256 bits.
        assertThat(parameters.get("code")).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void issues_a_new_code_at_every_sign_in() {
        assertThat(portal.code(authorizeRequest())).isNotEqualTo(portal.code(authorizeRequest()));
    }

    @Test
    void adds_to_the_query_a_redirect_uri_already_has() {
        Map<String, String> request = authorizeRequest();
        request.put("redirect_uri", "http://localhost:9999/other?tenant=a");

        HttpResponse<String> callback = portal.submitLoginForm(request, "demo", "demo", "sign-in");

        assertThat(location(callback).toString()).startsWith("http://localhost:9999/other?tenant=a&code=");
    }

    @Test
    void a_wrong_password_shows_the_form_again_and_no_redirect() {
        HttpResponse<String> page = portal.submitLoginForm(authorizeRequest(), "demo", "not-demo", "sign-in");

        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        Document document = Jsoup.parse(page.body());
        assertThat(document.select(".message").text()).isEqualTo("Wrong username or password.");
        assertThat(document.selectFirst("input[name=username]").attr("value")).isEqualTo("demo");
        assertThat(document.selectFirst("input[name=password]").attr("value")).isEmpty();
        assertThat(document.selectFirst("input[name=state]").attr("value")).isEqualTo("state-123");
    }

    @Test
    void an_unknown_user_is_refused_like_a_wrong_password() {
        HttpResponse<String> page = portal.submitLoginForm(authorizeRequest(), "nobody", "demo", "sign-in");

        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void cancelling_redirects_to_the_client_with_access_denied_and_the_state() {
        HttpResponse<String> callback = portal.submitLoginForm(authorizeRequest(), "", "", "cancel");

        assertThat(callback.statusCode()).isEqualTo(302);
        assertThat(query(location(callback))).containsOnlyKeys("error", "state", "iss")
                .containsEntry("error", "access_denied")
                .containsEntry("state", "state-123");
    }

    @Test
    void checks_the_request_again_when_the_form_comes_back() {
        Map<String, String> form = authorizeRequest();
        form.put("redirect_uri", "http://attacker.example/steal");
        form.put("username", "demo");
        form.put("password", "demo");
        form.put("action", "sign-in");

        HttpResponse<String> page = portal.postForm("/login", form, Map.of());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void refuses_a_form_without_an_action() {
        Map<String, String> form = authorizeRequest();
        form.put("username", "demo");
        form.put("password", "demo");

        HttpResponse<String> page = portal.postForm("/login", form, Map.of());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
    }

    private static Arguments invalid(String what, Consumer<Map<String, String>> change) {
        Map<String, String> request = authorizeRequest();
        change.accept(request);
        return Arguments.of(what, request);
    }
}
