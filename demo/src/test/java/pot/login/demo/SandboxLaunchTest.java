package pot.login.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pot.login.app.Application;
import pot.login.app.StartFailure;

/** The demo in its default (sandbox) setup, pointed at its own sandbox or at another server. */
class SandboxLaunchTest {

    @Test
    void an_api_root_pointed_at_another_server_starts_no_sandbox_and_the_app_serves() throws Exception {
        int elsewhere = freePort();
        try (EmbeddedServer app = start(Map.of("pot-login.api-root", "http://127.0.0.1:" + elsewhere))) {
            assertThat(app.getApplicationContext().containsBean(SandboxPortalLauncher.class)).isFalse();
            HttpResponse<String> login = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(app.getURI().resolve("/login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(303);
            assertThat(login.headers().firstValue("Location")).hasValueSatisfying(location ->
                    assertThat(location).startsWith("http://127.0.0.1:" + elsewhere + "/"));
            // Nothing listens there: the app did not put a sandbox on the other server's address.
            assertThat(listening(elsewhere)).isFalse();
        }
    }

    @Test
    void asked_with_sandbox_start_true_the_sandbox_starts_on_the_api_roots_address() throws Exception {
        int port = freePort();
        try (EmbeddedServer app = start(Map.of("pot-login.api-root", "http://127.0.0.1:" + port,
                "pot-login.sandbox.start", "true"))) {
            assertThat(app.getApplicationContext().containsBean(SandboxPortalLauncher.class)).isTrue();
            assertThat(listening(port)).isTrue();
        }
    }

    @Test
    void a_sandbox_port_already_in_use_is_one_line_naming_the_setting() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String apiRoot = "http://127.0.0.1:" + taken.getLocalPort();

            assertThatThrownBy(() -> start(Map.of("pot-login.api-root", apiRoot, "pot-login.sandbox.start", "true")))
                    .satisfies(failure -> assertThat(startFailure(failure)).hasMessage("the sandbox portal cannot "
                            + "listen on 127.0.0.1:" + taken.getLocalPort() + " (pot-login.api-root, "
                            + "POT_LOGIN_API_ROOT), is the port in use? Stop what listens there, or set "
                            + "pot-login.sandbox.start=false to use a sandbox started on its own"));
        }
    }

    private static StartFailure startFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof StartFailure ours) {
                return ours;
            }
        }
        throw new AssertionError("no StartFailure in", failure);
    }

    private static EmbeddedServer start(Map<String, Object> extra) throws IOException {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("micronaut.server.port", freePort());
        return ApplicationContext.builder().deduceEnvironment(false).environments(Application.SANDBOX)
                .properties(settings).run(EmbeddedServer.class);
    }

    private static boolean listening(int port) {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
