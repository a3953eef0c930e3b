package pot.login.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A start that cannot succeed says why on one line naming the setting, and exits 1: no 90-line stack trace. */
class StartFailureTest {

    @Test
    void a_port_already_in_use_is_one_line_naming_micronaut_server_port() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ChildJvm.Result result = ChildJvm.run(Application.class,
                    Map.of("MICRONAUT_SERVER_PORT", String.valueOf(taken.getLocalPort()),
                            "MICRONAUT_SERVER_HOST", "127.0.0.1"), List.of(), List.of());

            assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
            assertThat(errorLines(result)).as(result.output()).contains("pot-login cannot start: the app cannot "
                    + "listen on its port, is it in use? Stop what listens there, or set micronaut.server.port "
                    + "(MICRONAUT_SERVER_PORT) to a free one");
            assertNoStackTrace(result);
        }
    }

    @Test
    void a_discovery_that_fails_is_one_line_naming_the_issuer_setting_and_the_url() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        String issuer = "http://127.0.0.1:" + closed + "/realms/nowhere";

        ChildJvm.Result result = ChildJvm.run(Application.class,
                Map.of("POT_LOGIN_DISCOVERY", "true", "POT_LOGIN_ISSUER", issuer, "MICRONAUT_SERVER_PORT", "-1"),
                List.of(), List.of());

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(errorLines(result)).as(result.output()).anySatisfy(line -> assertThat(line).startsWith(
                "pot-login cannot start: pot-login.issuer (POT_LOGIN_ISSUER) with pot-login.discovery "
                        + "(POT_LOGIN_DISCOVERY): OpenID discovery failed: " + issuer
                        + "/.well-known/openid-configuration could not be read: "));
        assertNoStackTrace(result);
    }

    private static List<String> errorLines(ChildJvm.Result result) {
        return result.output().lines().filter(line -> line.contains("pot-login cannot start"))
                .map(line -> line.substring(line.indexOf("pot-login cannot start"))).toList();
    }

    private static void assertNoStackTrace(ChildJvm.Result result) {
        assertThat(result.output().lines()).as(result.output())
                .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Caused by"));
    }
}
