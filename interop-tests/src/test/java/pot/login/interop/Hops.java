package pot.login.interop;

import java.io.IOException;
import java.net.ServerSocket;

/** A free port (the cookies: pot.login.app.system.ScriptedBrowser, from the app's test-jar). */
final class Hops {

    private Hops() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
