package pot.login.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import org.junit.jupiter.api.Test;

class SameOriginTest {

    static MutableHttpRequest<String> logout() {
        return HttpRequest.POST("https://app.example/logout", "").header("Host", "app.example");
    }

    @Test
    void a_post_from_another_site_is_cross_site() {
        assertThat(SameOrigin.isCrossSite(logout().header("Origin", "https://evil.example"))).isTrue();
        assertThat(SameOrigin.isCrossSite(logout().header("Origin", "https://app.example.evil.example"))).isTrue();
        assertThat(SameOrigin.isCrossSite(logout().header("Origin", "null"))).isTrue();
        assertThat(SameOrigin.isCrossSite(logout().header("Sec-Fetch-Site", "cross-site"))).isTrue();
        assertThat(SameOrigin.isCrossSite(logout().header("Sec-Fetch-Site", "same-site"))).isTrue();
    }

    @Test
    void a_post_from_our_own_page_or_from_no_browser_is_not() {
        assertThat(SameOrigin.isCrossSite(logout().header("Origin", "https://app.example")
                .header("Sec-Fetch-Site", "same-origin"))).isFalse();
        // Behind a proxy that ends TLS the app sees http; the origin's host decides.
        assertThat(SameOrigin.isCrossSite(logout().header("Origin", "https://APP.example"))).isFalse();
        assertThat(SameOrigin.isCrossSite(logout())).isFalse();
        assertThat(SameOrigin.isCrossSite(logout().header("Sec-Fetch-Site", "none"))).isFalse();
    }
}
