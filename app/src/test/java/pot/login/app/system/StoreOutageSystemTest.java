package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A used-state store that is down fails the login closed: 503 {@code store_unavailable}, no session, and the portal is
 * not asked, so the code is still good. The state was not marked used either, and the flow cookie is kept: the same
 * callback, reloaded once the store is back, signs the user in (which also proves the code was never redeemed).
 */
class StoreOutageSystemTest {

    private static final String SESSION_COOKIE = "__Host-pot-session";

    private static PotLoginWithSandbox system;

    @BeforeAll
    static void start() {
        system = PotLoginWithSandbox.start(Map.of("test.used-states", "faulty"));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @AfterEach
    void storeBack() {
        FaultyUsedStates.mode = FaultyUsedStates.Mode.UP;
    }

    @ParameterizedTest
    @EnumSource(value = FaultyUsedStates.Mode.class, names = {"UNAVAILABLE", "THROWS"})
    void a_store_outage_is_503_store_unavailable_with_no_session_and_the_same_callback_works_once_it_is_back(
            FaultyUsedStates.Mode outage) {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = system.callbackFor(browser, "/reports");
        FaultyUsedStates.mode = outage;

        HttpResponse<String> refused = browser.get(callback);

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("store_unavailable").doesNotContain("connection");
        assertThat(refused.headers().allValues("Set-Cookie")).as("no session, and the flow cookie is not spent")
                .isEmpty();
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).isNull();

        FaultyUsedStates.mode = FaultyUsedStates.Mode.UP;
        HttpResponse<String> landing = browser.get(callback);

        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).startsWith("ey");
    }

    @ParameterizedTest
    @EnumSource(value = FaultyUsedStates.Mode.class, names = {"UNAVAILABLE", "THROWS"})
    void a_client_that_accepts_json_gets_problem_json_with_store_unavailable(FaultyUsedStates.Mode outage) {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = system.callbackFor(browser, "/");
        FaultyUsedStates.mode = outage;

        HttpResponse<String> refused = browser.getAccepting(callback, "application/json");

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("\"code\":\"store_unavailable\"", "\"status\":503");
    }
}
