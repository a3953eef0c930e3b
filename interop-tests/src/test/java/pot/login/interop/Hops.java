package pot.login.interop;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;

/** Small helpers of these tests: a cookie a response set, a free port. */
final class Hops {

    private Hops() {
    }

    static String cookieNamed(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith(name + "="))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name + " cookie set by " + response.uri()));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
