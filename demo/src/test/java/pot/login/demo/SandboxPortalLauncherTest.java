package pot.login.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SandboxPortalLauncherTest {

    static final URI ELSEWHERE = URI.create("https://login.example.org/realms/x");

    @Test
    void by_default_the_sandbox_starts_on_its_own_default_address_and_not_when_the_api_root_is_another_server() {
        assertThat(SandboxPortalLauncher.wanted("auto", URI.create("http://127.0.0.1:8081"))).isTrue();
        assertThat(SandboxPortalLauncher.wanted("auto", ELSEWHERE)).isFalse();
        assertThat(SandboxPortalLauncher.wanted("auto", URI.create("http://127.0.0.1:9081"))).isFalse();
        assertThat(SandboxPortalLauncher.wanted("auto", null)).isFalse();
    }

    @Test
    void asked_explicitly_it_starts_on_any_address_and_false_never_starts_it() {
        assertThat(SandboxPortalLauncher.wanted("true", URI.create("http://127.0.0.1:9081"))).isTrue();
        assertThat(SandboxPortalLauncher.wanted("false", URI.create("http://127.0.0.1:8081"))).isFalse();
    }
}
