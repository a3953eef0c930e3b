package pot.login.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SandboxSettingsTest {

    @Test
    void defaults_are_the_demo_setup() {
        SandboxSettings defaults = SandboxSettings.defaults();

        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.port()).isEqualTo(8081);
        assertThat(defaults.issuer()).isNull();
        assertThat(defaults.clients()).containsExactly(new RegisteredClient("pot-login-demo",
                "demo-only-client-secret-do-not-use-in-production", List.of("http://localhost:8080/login/complete")));
        assertThat(defaults.users()).containsExactly(new DemoUser("demo", "demo", "Demo", "User", "demo@example.com"));
        assertThat(defaults.codeLifetime()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.pendingCodesPerUser()).isEqualTo(10);
        assertThat(defaults.tokenLifetime()).isEqualTo(Duration.ofSeconds(86_400));
    }

    @Test
    void hides_secrets_and_passwords_from_to_string() {
        assertThat(RegisteredClient.demo().toString()).contains("pot-login-demo")
                .doesNotContain(RegisteredClient.demo().clientSecret());
        assertThat(new DemoUser("alice", "s3cret-password", "Alice", "A", "a@example.com").toString())
                .contains("alice").doesNotContain("s3cret-password");
    }

    @Test
    void takes_host_port_and_issuer_from_the_environment() {
        Map<String, String> environment = Map.of("host", "0.0.0.0", "port", "9000", "issuer", "http://portal.test");

        SandboxSettings settings = SandboxSettings.fromEnvironment(environment::get);

        assertThat(settings).isEqualTo(SandboxSettings.defaults()
                .withHost("0.0.0.0").withPort(9000).withIssuer("http://portal.test"));
        assertThat(SandboxSettings.fromEnvironment(name -> null)).isEqualTo(SandboxSettings.defaults());
    }

    @Test
    void takes_the_demo_clients_redirect_uri_from_the_environment() {
        SandboxSettings settings = SandboxSettings.fromEnvironment(
                Map.of("redirect-uri", "http://localhost:9080/login/complete")::get);

        assertThat(settings.clients()).singleElement().satisfies(client -> {
            assertThat(client.clientId()).isEqualTo(RegisteredClient.demo().clientId());
            assertThat(client.redirectUris()).containsExactly("http://localhost:9080/login/complete");
        });
    }

    @Test
    void says_which_setting_is_not_a_port_number() {
        assertThatThrownBy(() -> SandboxSettings.fromEnvironment(Map.of("port", "eighty")::get))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("portal-sandbox.port");
    }

    @Test
    void says_what_is_wrong_with_a_bound_on_pending_codes() {
        assertThatThrownBy(() -> SandboxSettings.defaults().withPendingCodesPerUser(0))
                .hasMessage("pendingCodesPerUser is 0: a user could never sign in");
        assertThatThrownBy(() -> SandboxSettings.defaults().withPendingCodesPerUser(101))
                .hasMessage("pendingCodesPerUser is 101, over 100: "
                        + "one user could hold a large share of all pending codes");
        assertThat(SandboxSettings.defaults().withPendingCodesPerUser(100).pendingCodesPerUser()).isEqualTo(100);
    }

    static Stream<Arguments> invalid_settings() {
        SandboxSettings defaults = SandboxSettings.defaults();
        RegisteredClient demo = RegisteredClient.demo();
        return Stream.of(
                invalid("a negative port", () -> defaults.withPort(-1)),
                invalid("a port above 65535", () -> defaults.withPort(65_536)),
                invalid("a blank host", () -> defaults.withHost(" ")),
                invalid("no clients", () -> defaults.withClients(List.of())),
                invalid("no users", () -> defaults.withUsers(List.of())),
                invalid("two clients with one id", () -> defaults.withClients(List.of(demo, demo))),
                invalid("a code lifetime of zero", () -> defaults.withCodeLifetime(Duration.ZERO)),
                invalid("no pending code per user", () -> defaults.withPendingCodesPerUser(0)),
                invalid("more pending codes per user than a hundredth of the pool",
                        () -> defaults.withPendingCodesPerUser(AuthorizationCodes.MAX_PENDING / 100 + 1)),
                invalid("a token lifetime under a second", () -> defaults.withTokenLifetime(Duration.ofMillis(500))),
                invalid("a redirect URI with a fragment", () -> new RegisteredClient("c", "s",
                        List.of("http://localhost/cb#here"))),
                invalid("a relative redirect URI", () -> new RegisteredClient("c", "s", List.of("/cb"))),
                invalid("a redirect URI of another scheme", () -> new RegisteredClient("c", "s",
                        List.of("javascript:alert(1)"))),
                invalid("a client without redirect URIs", () -> new RegisteredClient("c", "s", List.of())),
                invalid("a client without a secret", () -> new RegisteredClient("c", "", List.of("http://a/cb"))),
                invalid("a user without a password", () -> new DemoUser("u", "", "F", "L", "e@example.com")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid_settings")
    void refuses(String what, Executable construction) {
        assertThatThrownBy(construction::execute).isInstanceOf(IllegalArgumentException.class);
    }

    private static Arguments invalid(String what, Executable construction) {
        return Arguments.of(what, construction);
    }
}
