package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pot.login.domain.FlowCookie;
import pot.login.domain.Rejection;
import pot.login.domain.ReturnPath;
import pot.login.domain.SessionCookie;
import pot.login.domain.port.in.Callback;
import pot.login.domain.port.in.CompleteLogin;
import pot.login.domain.port.in.LoginOutcome;
import pot.login.domain.port.in.LoginStarted;
import pot.login.domain.port.in.ShowSignedInUser;
import pot.login.domain.port.in.SignOut;
import pot.login.domain.port.in.StartLogin;

@MicronautTest
class LoginControllerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    EmbeddedServer server;
    @Inject
    StartLogin startLogin;
    @Inject
    CompleteLogin completeLogin;

    @MockBean(StartLogin.class)
    StartLogin startLogin() {
        return mock(StartLogin.class);
    }

    @MockBean(CompleteLogin.class)
    CompleteLogin completeLogin() {
        return mock(CompleteLogin.class);
    }

    @MockBean(ShowSignedInUser.class)
    ShowSignedInUser showSignedInUser() {
        return mock(ShowSignedInUser.class);
    }

    @MockBean(SignOut.class)
    SignOut signOut() {
        return mock(SignOut.class);
    }

    static final FlowCookie FLOW = new FlowCookie("__Host-pot-flow-AbCdEfGh", "1700000000.nonce", Duration.ofMinutes(10));

    @Test
    void login_sends_the_browser_to_the_portal_and_forbids_caching_and_referrers() throws Exception {
        URI portal = URI.create("https://portal.test/?response_type=code&state=s");
        when(startLogin.start(eq("/reports"), any())).thenReturn(new LoginStarted(portal, "AbCdEfGh", FLOW, List.of()));

        HttpResponse<String> response = get("/login?return_to=/reports", "text/html");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).contains(portal.toString());
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void login_sets_the_flow_cookie_host_only_lax_and_drops_the_expired_ones() throws Exception {
        FlowCookie old = new FlowCookie("__Host-pot-flow-OldOldOl", "", Duration.ZERO);
        when(startLogin.start(any(), eq(Map.of("__Host-pot-flow-OldOldOl", "1.x")))).thenReturn(
                new LoginStarted(URI.create("https://portal.test/"), "AbCdEfGh", FLOW, List.of(old)));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.getURI().resolve("/login"))
                .header("Cookie", "__Host-pot-flow-OldOldOl=1.x; unrelated=1").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(2);
        String flow = cookies.stream().filter(c -> c.startsWith(FLOW.name())).findFirst().orElseThrow();
        assertThat(flow).startsWith(FLOW.name() + "=" + FLOW.value() + ";");
        assertThat(attributes(flow)).contains("max-age=600", "path=/", "secure", "httponly", "samesite=lax")
                .noneMatch(attribute -> attribute.startsWith("domain="));
        String dropped = cookies.stream().filter(c -> c.startsWith(old.name())).findFirst().orElseThrow();
        assertThat(attributes(dropped)).contains("max-age=0", "path=/", "secure", "httponly", "samesite=lax");
    }

    @Test
    void a_completed_login_sets_the_session_cookie_with_every_attribute_and_lands_with_a_same_site_page()
            throws Exception {
        when(completeLogin.complete(any())).thenReturn(new LoginOutcome.Completed(
                new SessionCookie("__Host-pot-session", "the-token", Duration.ofSeconds(3600)),
                new ReturnPath("/reports?tab=1"), "demo", "AbCdEfGh", List.of(FLOW.cleared())));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        server.getURI().resolve("/login/complete?code=c&state=s&iss=https%3A%2F%2Fportal.test"))
                .header("Accept", "text/html").header("Cookie", FLOW.name() + "=" + FLOW.value()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        verify(completeLogin).complete(eq(new Callback("c", "s", null, "https://portal.test",
                Map.of(FLOW.name(), FLOW.value()))));
        List<String> cookies = response.headers().allValues("Set-Cookie");
        assertThat(cookies).hasSize(2);
        assertThat(cookies).anySatisfy(spent -> assertThat(spent).startsWith(FLOW.name() + "=;"));
        assertThat(cookies.get(0)).startsWith("__Host-pot-session=the-token;");
        assertThat(attributes(cookies.get(0)))
                .contains("max-age=3600", "path=/", "secure", "httponly", "samesite=strict")
                .noneMatch(attribute -> attribute.startsWith("domain="));
        // Not a redirect: a page that moves on by itself, so the next request is a same-site navigation.
        assertThat(response.body()).contains("<meta http-equiv=\"refresh\" content=\"0;url=/reports?tab=1\">");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(response.headers().firstValue("Referrer-Policy")).contains("no-referrer");
    }

    @Test
    void a_completed_openid_login_also_sets_the_kept_id_token_cookie_with_the_session_cookies_attributes()
            throws Exception {
        when(completeLogin.complete(any())).thenReturn(new LoginOutcome.Completed(
                new SessionCookie("__Host-pot-session", "the-token", Duration.ofSeconds(3600)),
                new ReturnPath("/"), "demo", "AbCdEfGh", List.of(FLOW.cleared()),
                Optional.of(new SessionCookie("__Host-pot-session-id", "the.id.token", Duration.ofSeconds(3600))),
                Optional.empty()));

        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        server.getURI().resolve("/login/complete?code=c&state=s&iss=https%3A%2F%2Fportal.test"))
                .header("Accept", "text/html").header("Cookie", FLOW.name() + "=" + FLOW.value()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        String kept = response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("__Host-pot-session-id=")).findFirst().orElseThrow();
        assertThat(kept).startsWith("__Host-pot-session-id=the.id.token;");
        assertThat(attributes(kept))
                .contains("max-age=3600", "path=/", "secure", "httponly", "samesite=strict")
                .noneMatch(attribute -> attribute.startsWith("domain="));
    }

    @ParameterizedTest
    @EnumSource(Rejection.class)
    void each_rejection_answers_its_status_and_stable_code_as_problem_json_without_a_cookie(Rejection reason)
            throws Exception {
        when(completeLogin.complete(any())).thenReturn(new LoginOutcome.Rejected(reason, "why", "", List.of()));

        HttpResponse<String> response = get("/login/complete?code=c&state=s", "application/json");

        int expected = switch (reason) {
            case PORTAL_TIMEOUT -> 504;
            case STORE_UNAVAILABLE -> 503;
            case CLIENT_REJECTED, PORTAL_UNAVAILABLE, PORTAL_BAD_RESPONSE -> 502;
            default -> 400;
        };
        assertThat(response.statusCode()).isEqualTo(expected);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"" + reason.code() + "\"", "\"status\":" + expected);
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void a_browser_gets_an_html_page_that_names_the_error_code() throws Exception {
        when(completeLogin.complete(any())).thenReturn(
                new LoginOutcome.Rejected(Rejection.LOGIN_CANCELLED, "the user cancelled at the portal", "AbCdEfGh",
                        List.of(FLOW.cleared())));

        HttpResponse<String> response = get("/login/complete?error=access_denied&state=s",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("Sign-in was cancelled", "login_cancelled");
        assertThat(response.headers().allValues("Set-Cookie")).singleElement().satisfies(spent ->
                assertThat(attributes(spent)).contains("max-age=0", "samesite=lax"));
    }

    @Test
    void a_store_outage_is_a_503_page_that_names_store_unavailable_and_leaves_the_flow_cookie_in_place()
            throws Exception {
        when(completeLogin.complete(any())).thenReturn(
                new LoginOutcome.Rejected(Rejection.STORE_UNAVAILABLE, "used-state store: down", "AbCdEfGh", List.of()));

        HttpResponse<String> response = get("/login/complete?code=c&state=s",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("store_unavailable").doesNotContain("used-state store: down");
        // No session, and the flow cookie is not spent: the state was not marked used, so a reload may finish.
        assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void error_bodies_never_echo_what_the_callback_carried() throws Exception {
        when(completeLogin.complete(any())).thenReturn(new LoginOutcome.Rejected(Rejection.STATE_INVALID, "x", "", List.of()));

        HttpResponse<String> json = get("/login/complete?code=SECRET-CODE&state=SECRET-STATE", "application/json");
        HttpResponse<String> html = get("/login/complete?code=SECRET-CODE&state=SECRET-STATE", "text/html");

        assertThat(json.body() + html.body()).doesNotContain("SECRET-CODE", "SECRET-STATE");
    }

    @Test
    void pages_forbid_scripts_framing_and_sniffing() throws Exception {
        when(completeLogin.complete(any())).thenReturn(new LoginOutcome.Rejected(Rejection.STATE_INVALID, "x", "", List.of()));

        HttpResponse<String> response = get("/login/complete?state=s", "text/html");

        assertThat(response.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("script-src"));
        assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void an_unknown_path_is_a_404_problem_with_a_code() throws Exception {
        HttpResponse<String> response = get("/no-such-page", "application/json");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"code\":\"not_found\"");
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(server.getURI().resolve(path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The attributes after name=value, trimmed and lower-cased: their order and case are not ours to fix. */
    static List<String> attributes(String setCookie) {
        return java.util.Arrays.stream(setCookie.split(";")).skip(1)
                .map(attribute -> attribute.trim().toLowerCase(java.util.Locale.ROOT))
                .toList();
    }
}
