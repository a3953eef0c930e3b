package pot.login.adapters.http;

import io.micronaut.http.HttpRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a state-changing request came from another site. Browsers send {@code Sec-Fetch-Site} (all current ones) and
 * {@code Origin} on every POST; either one naming another site is enough to refuse. A request with neither (curl,
 * server-to-server) is not a browser being tricked, so it passes.
 *
 * <p>{@code Origin} is compared with the app's public origin as configured, never with {@code Host},
 * {@code X-Forwarded-Host} or {@code Forwarded}: a proxy may rewrite those, and a client may write them, so they
 * cannot tell which site the app is (RFC 6454: an origin is scheme, host and port).
 */
public final class SameOrigin {

    private final String publicOrigin;

    /**
     * @param publicUri any absolute URI on this app as browsers reach it (the redirect URI): only its scheme, host and
     *                  port count
     */
    public SameOrigin(URI publicUri) {
        Objects.requireNonNull(publicUri, "publicUri");
        this.publicOrigin = originOf(publicUri).orElseThrow(() -> new IllegalArgumentException(
                "the app's public address has no http(s) origin: " + publicUri));
    }

    /** {@code scheme://host[:port]}, lower case, the default port left out; what an {@code Origin} header holds. */
    public String publicOrigin() {
        return publicOrigin;
    }

    boolean isCrossSite(HttpRequest<?> request) {
        Optional<String> fetchSite = request.getHeaders().get("Sec-Fetch-Site", String.class);
        if (fetchSite.isPresent() && !fetchSite.get().equals("same-origin") && !fetchSite.get().equals("none")) {
            return true;
        }
        Optional<String> origin = request.getHeaders().getOrigin();
        if (origin.isEmpty()) {
            return false;
        }
        return !parse(origin.get()).flatMap(SameOrigin::originOf).equals(Optional.of(publicOrigin));
    }

    private static Optional<URI> parse(String origin) {
        try {
            return Optional.of(new URI(origin));
        } catch (URISyntaxException notAnOrigin) {
            return Optional.empty();
        }
    }

    /** Empty for "null", an opaque or relative URI, and any scheme but http and https. */
    private static Optional<String> originOf(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : 0;
        if (defaultPort == 0 || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        int port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (port == defaultPort ? "" : ":" + port));
    }
}
