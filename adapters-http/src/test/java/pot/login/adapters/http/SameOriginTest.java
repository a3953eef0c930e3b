package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.net.URI;
import org.junit.jupiter.api.Test;

class SameOriginTest {

    static final SameOrigin APP = new SameOrigin(URI.create("https://app.example/login/complete"));

    /** A sign-out as the app sees it behind a proxy that ends TLS: http, an internal Host. */
    static MutableHttpRequest<String> logout() {
        return HttpRequest.POST("http://pot-login.internal:8080/logout", "").header("Host", "pot-login.internal:8080");
    }

    @Test
    void the_public_origin_is_the_scheme_host_and_port_of_the_configured_address() {
        assertThat(APP.publicOrigin()).isEqualTo("https://app.example");
        assertThat(new SameOrigin(URI.create("https://APP.example:443/x")).publicOrigin())
                .isEqualTo("https://app.example");
        assertThat(new SameOrigin(URI.create("http://localhost:8080/login/complete")).publicOrigin())
                .isEqualTo("http://localhost:8080");
        assertThatThrownBy(() -> new SameOrigin(URI.create("/login/complete")))
                .hasMessage("the app's public address has no http(s) origin: /login/complete");
    }

    @Test
    void a_post_from_another_site_is_cross_site() {
        assertThat(APP.isCrossSite(logout().header("Origin", "https://evil.example"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Origin", "https://app.example.evil.example"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Origin", "https://app.example:8443"))).isTrue();
        // Same host, another scheme: another origin (RFC 6454), and a page over http is not ours.
        assertThat(APP.isCrossSite(logout().header("Origin", "http://app.example"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Origin", "null"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Origin", "not an origin"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Sec-Fetch-Site", "cross-site"))).isTrue();
        assertThat(APP.isCrossSite(logout().header("Sec-Fetch-Site", "same-site"))).isTrue();
    }

    @Test
    void a_post_from_our_own_page_or_from_no_browser_is_not() {
        assertThat(APP.isCrossSite(logout().header("Origin", "https://app.example")
                .header("Sec-Fetch-Site", "same-origin"))).isFalse();
        assertThat(APP.isCrossSite(logout().header("Origin", "https://APP.example:443"))).isFalse();
        assertThat(APP.isCrossSite(logout())).isFalse();
        assertThat(APP.isCrossSite(logout().header("Sec-Fetch-Site", "none"))).isFalse();
    }

    @Test
    void the_host_and_forwarded_headers_a_client_writes_decide_nothing() {
        // A proxy that rewrote Host and said where the request came from: our own page, signed out.
        assertThat(APP.isCrossSite(logout().header("Origin", "https://app.example")
                .header("X-Forwarded-Host", "app.example").header("X-Forwarded-Proto", "https")
                .header("Forwarded", "for=198.51.100.7;host=app.example;proto=https"))).isFalse();
        // Another site that made every header agree with its Origin: still another site.
        assertThat(APP.isCrossSite(HttpRequest.POST("http://evil.example/logout", "")
                .header("Host", "evil.example").header("Origin", "https://evil.example")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .header("Forwarded", "host=evil.example;proto=https"))).isTrue();
    }
}
