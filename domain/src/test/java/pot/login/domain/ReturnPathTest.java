package pot.login.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/reports", "/reports?tab=1&sort=desc", "/a/b#section", "/~user/x.y"})
    void keeps_a_local_absolute_path(String path) {
        assertThat(ReturnPath.orHome(path).value()).isEqualTo(path);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)",
            "evil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example", "/a\r\nSet-Cookie: x=y", "/a b", "/\t/evil",
            "\\\\evil.example", "/ä"})
    void replaces_anything_else_by_home(String hostile) {
        assertThat(ReturnPath.orHome(hostile)).isEqualTo(ReturnPath.HOME);
    }

    @org.junit.jupiter.api.Test
    void replaces_an_over_long_path_by_home() {
        assertThat(ReturnPath.orHome("/" + "a".repeat(ReturnPath.MAX_LENGTH))).isEqualTo(ReturnPath.HOME);
        assertThat(ReturnPath.orHome("/" + "a".repeat(ReturnPath.MAX_LENGTH - 1)).value()).hasSize(ReturnPath.MAX_LENGTH);
    }
}
