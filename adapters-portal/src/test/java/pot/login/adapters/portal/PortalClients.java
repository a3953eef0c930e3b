package pot.login.adapters.portal;

import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.time.Duration;

/** HTTP clients for the adapters under test, configured as the app configures the portal client, with short waits. */
final class PortalClients {

    /** Long enough for a cold server's first answer on a slow machine; the fakes' slow answers take longer. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    static final int MAX_CONTENT_LENGTH = 4096;

    private PortalClients() {
    }

    static HttpClient create(URL apiRoot) {
        DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
        configuration.setConnectTimeout(Duration.ofMillis(500));
        configuration.setReadTimeout(READ_TIMEOUT);
        configuration.setMaxContentLength(MAX_CONTENT_LENGTH);
        configuration.setFollowRedirects(false);
        return HttpClient.create(apiRoot, configuration);
    }

    /** A local address where nothing listens: the port was free a moment ago and is closed again. */
    static URL closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new URL("http://127.0.0.1:" + socket.getLocalPort());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
