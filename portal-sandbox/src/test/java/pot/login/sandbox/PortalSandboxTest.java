package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.sandbox.PortalClient.authorizeRequest;
import static pot.login.sandbox.PortalClient.json;
import static pot.login.sandbox.PortalClient.location;
import static pot.login.sandbox.PortalClient.query;
import static pot.login.sandbox.PortalClient.tokenRequest;

import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The embedding API, and the isolation of the sandbox's context from the application it runs next to. */
class PortalSandboxTest {

    @Test
    void a_context_started_without_the_sandbox_property_has_none_of_its_beans() {
        try (ApplicationContext plain = ApplicationContext.run()) {
            assertThat(plain.getBeanDefinitions(Object.class))
                    .noneMatch(definition -> definition.getBeanType().getPackageName().startsWith("pot.login.sandbox"));
            assertThat(plain.containsBean(AuthorizePageController.class)).isFalse();
        }
        // The same check on a sandbox's context, so that the one above can fail.
        try (ApplicationContext sandbox = ApplicationContext.run(Map.of(PortalSandbox.ENABLED, true))) {
            sandbox.registerSingleton(PortalClient.settings());
            assertThat(sandbox.containsBean(AuthorizePageController.class)).isTrue();
        }
    }

    @Test
    void a_server_started_without_the_sandbox_property_serves_none_of_its_routes() {
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class,
                Map.of("micronaut.server.port", -1));
             HttpClient client = HttpClient.create(server.getURL())) {
            for (String path : new String[] {"/", "/api/me", "/keys/jwks.json"}) {
                try {
                    client.toBlocking().exchange(path, String.class);
                    throw new AssertionError(path + " answered");
                } catch (HttpClientResponseException e) {
                    assertThat(e.getStatus().getCode()).as(path).isEqualTo(404);
                }
            }
        }
    }

    @Test
    void listens_on_a_free_port_when_asked_for_port_zero_and_says_which() {
        try (PortalSandbox sandbox = PortalSandbox.start(PortalClient.settings())) {
            assertThat(sandbox.uri().getHost()).isEqualTo("127.0.0.1");
            assertThat(sandbox.uri().getPort()).isPositive();
            assertThat(sandbox.issuer()).isEqualTo(sandbox.uri().toString()).doesNotEndWith("/");
            assertThat(new PortalClient(sandbox).authorize(authorizeRequest()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void names_a_configured_issuer_in_callbacks_and_tokens() throws Exception {
        try (PortalSandbox sandbox = PortalSandbox.start(PortalClient.settings()
                .withIssuer("https://portal.example"))) {
            PortalClient portal = new PortalClient(sandbox);
            HttpResponse<String> callback = portal.submitLoginForm(authorizeRequest(), "demo", "demo", "sign-in");
            Map<String, String> parameters = query(location(callback));
            String token = (String) json(portal.token(tokenRequest(parameters.get("code")))).get("access_token");

            assertThat(sandbox.issuer()).isEqualTo("https://portal.example");
            assertThat(parameters).containsEntry("iss", "https://portal.example");
            assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo("https://portal.example");
        }
    }

    @Test
    void passes_extra_properties_to_its_context_but_listens_where_its_settings_say() {
        try (PortalSandbox sandbox = PortalSandbox.start(PortalClient.settings(), Map.of(
                "micronaut.server.server-header", "portal-sandbox-test",
                "micronaut.server.port", 1))) {
            HttpResponse<String> page = new PortalClient(sandbox).authorize(authorizeRequest());

            assertThat(sandbox.uri().getPort()).isNotEqualTo(1);
            assertThat(page.headers().firstValue("Server")).contains("portal-sandbox-test");
        }
    }

    @Test
    void reads_no_configuration_of_the_jvm_it_runs_in() {
        System.setProperty("micronaut.server.context-path", "/elsewhere");
        try (PortalSandbox sandbox = PortalSandbox.start(PortalClient.settings())) {
            assertThat(new PortalClient(sandbox).authorize(authorizeRequest()).statusCode()).isEqualTo(200);
        } finally {
            System.clearProperty("micronaut.server.context-path");
        }
    }

    @RepeatedTest(3)
    void frees_its_port_when_closed() {
        int port;
        try (PortalSandbox first = PortalSandbox.start(PortalClient.settings())) {
            port = first.uri().getPort();
        }
        try (PortalSandbox second = PortalSandbox.start(PortalClient.settings().withPort(port))) {
            assertThat(second.uri().getPort()).isEqualTo(port);
            assertThat(new PortalClient(second).authorize(authorizeRequest()).statusCode()).isEqualTo(200);
        }
    }
}
