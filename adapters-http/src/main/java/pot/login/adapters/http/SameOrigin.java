package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a state-changing request came from another site. Browsers send {@code Sec-Fetch-Site} (all current ones) and
 * {@code Origin} on every POST; either one naming another site is enough to refuse. A request with neither (curl,
 * server-to-server) is not a browser being tricked, so it passes.
 *
 * <p>The origin's host and port are compared with the {@code Host} the request was sent to, not its scheme: behind a
 * proxy that ends TLS the app sees http while the browser's origin says https.
 */
final class SameOrigin {

    private SameOrigin() {
    }

    static boolean isCrossSite(HttpRequest<?> request) {
        Optional<String> fetchSite = request.getHeaders().get("Sec-Fetch-Site", String.class);
        if (fetchSite.isPresent() && !fetchSite.get().equals("same-origin") && !fetchSite.get().equals("none")) {
            return true;
        }
        Optional<String> origin = request.getHeaders().getOrigin();
        if (origin.isEmpty()) {
            return false;
        }
        String host = request.getHeaders().get("Host", String.class).orElse("");
        return !authorityOf(origin.get()).equals(Optional.of(host.toLowerCase(Locale.ROOT)));
    }

    /** {@code host[:port]} of an Origin header; empty for "null" and anything unparseable. */
    private static Optional<String> authorityOf(String origin) {
        try {
            return Optional.ofNullable(new URI(origin).getRawAuthority()).map(a -> a.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException notAnOrigin) {
            return Optional.empty();
        }
    }
}
