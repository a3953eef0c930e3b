package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Outside production too, a setup without a setting that serving needs stops the start with one line naming it,
 * before the server listens: it never answers a request with 500 (issue 13). Application contexts without a server
 * still start half configured (ConfigurationDocsTest, StateKeysFromTheEnvironmentTest do).
 */
class IncompleteSetupTest {

    private static final String USERINFO_MISSING = "pot-login.userinfo-uri (POT_LOGIN_USERINFO_URI) is missing, and "
            + "pot-login.user-lookup (POT_LOGIN_USER_LOOKUP) is oidc-userinfo";

    static Stream<Arguments> incompleteSetups() {
        return Stream.of(
                Arguments.of("userinfo lookup without a userinfo URI", Map.of("pot-login.user-lookup", "oidc-userinfo"),
                        USERINFO_MISSING),
                Arguments.of("no client secret", Map.of("pot-login.client-secret", ""),
                        "pot-login.client-secret (POT_LOGIN_CLIENT_SECRET) is missing"),
                Arguments.of("no redirect URI", Map.of("pot-login.redirect-uri", ""),
                        "pot-login.redirect-uri (POT_LOGIN_REDIRECT_URI) is missing"),
                Arguments.of("no client id", Map.of("pot-login.client-id", ""),
                        "pot-login.client-id (POT_LOGIN_CLIENT_ID) is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompleteSetups")
    void a_server_missing_a_setting_that_serving_needs_does_not_start_and_never_listens(String setup,
            Map<String, Object> broken, String line) {
        int port = freePort();
        Map<String, Object> settings = complete(port);
        settings.putAll(broken);

        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, settings).close())
                .satisfies(failure -> assertThat(StartFailure.oneLine(failure)).contains(line));
        assertThat(listens(port)).as("nothing listens, so no request is answered 500").isFalse();
    }

    @Test
    void the_complete_setup_of_these_cases_starts() {
        int port = freePort();
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, complete(port))) {
            assertThat(listens(server.getPort())).isTrue();
        }
    }

    @Test
    void the_app_outside_production_stops_with_one_line_naming_the_setting_and_never_listens() {
        int port = freePort();
        ChildJvm.Result result = ChildJvm.run(Application.class, Map.of("POT_LOGIN_USER_LOOKUP", "oidc-userinfo",
                        "MICRONAUT_SERVER_PORT", String.valueOf(port), "MICRONAUT_SERVER_HOST", "127.0.0.1"),
                List.of(), List.of(), () -> listens(port));

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output().lines().filter(l -> l.contains("pot-login cannot start")))
                .as(result.output()).singleElement().asString().endsWith("pot-login cannot start: " + USERINFO_MISSING);
        assertThat(result.output().lines()).as(result.output())
                .noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by"));
    }

    private static Map<String, Object> complete(int port) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", port);
        settings.put("micronaut.server.host", "127.0.0.1");
        settings.put("pot-login.api-root", "http://127.0.0.1:1");
        settings.put("pot-login.client-id", "incomplete-test-client");
        settings.put("pot-login.client-secret", ProductionSettingsCheckTest.STRONG);
        settings.put("pot-login.redirect-uri", "http://localhost:" + port + "/login/complete");
        settings.put("pot-login.state.signing-key-id", "test-1");
        settings.put("pot-login.state.keys.test-1", ProductionSettingsCheckTest.STRONG);
        return settings;
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
