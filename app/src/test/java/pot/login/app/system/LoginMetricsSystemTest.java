package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.app.system.ScriptedBrowser.queryParameter;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pot.login.domain.Rejection;

/**
 * Signs in and is refused for several reasons against the sandbox portal, then reads the scrape and checks the exact
 * counts: each login event once, each refusal under its own reason, and the portal's and the store's calls timed
 * under their outcome.
 */
class LoginMetricsSystemTest {

    PotLoginWithSandbox servers;

    @BeforeEach
    void start() {
        servers = PotLoginWithSandbox.start(Map.of());
    }

    @AfterEach
    void stop() {
        servers.close();
    }

    @Test
    void a_scrape_counts_each_sign_in_each_refusal_by_reason_and_each_portal_and_store_call_by_outcome() {
        ScriptedBrowser first = new ScriptedBrowser();
        first.get(servers.callbackFor(first, "/"));
        first.post(servers.app("/logout"));

        // Signed in once, then its callback replayed from another browser with a copy of the flow cookie.
        ScriptedBrowser replayer = new ScriptedBrowser();
        URI replayed = servers.callbackFor(replayer, "/");
        Map<String, String> flows = replayer.cookies(servers.app("/"));
        replayer.get(replayed);
        ScriptedBrowser withCopy = new ScriptedBrowser();
        flows.forEach((name, value) -> withCopy.plantCookie(servers.app("/"), name, value));
        assertThat(withCopy.get(replayed).statusCode()).isEqualTo(400);

        ScriptedBrowser tamperer = new ScriptedBrowser();
        URI tampered = servers.callbackFor(tamperer, "/");
        String state = queryParameter(tampered, "state");
        assertThat(tamperer.get(URI.create(tampered.toString()
                .replace(state, state.substring(0, state.length() - 2) + "AA"))).statusCode()).isEqualTo(400);

        ScriptedBrowser canceller = new ScriptedBrowser();
        canceller.get(location(canceller.signInAtPortal(location(canceller.get(servers.app("/login"))), "", "",
                "cancel")));

        Scrape scrape = scrape();
        assertThat(scrape.value("pot_login_logins_started_total")).isEqualTo(4);
        assertThat(scrape.value("pot_login_logins_completed_total")).isEqualTo(2);
        assertThat(scrape.value("pot_login_logins_refused_total", "reason", "state_replayed")).isEqualTo(1);
        assertThat(scrape.value("pot_login_logins_refused_total", "reason", "state_invalid")).isEqualTo(1);
        assertThat(scrape.value("pot_login_logins_refused_total", "reason", "login_cancelled")).isEqualTo(1);
        // Every other reason is there, at zero, before its first refusal.
        Arrays.stream(Rejection.values()).map(Rejection::code)
                .filter(code -> !code.equals("state_replayed") && !code.equals("state_invalid")
                        && !code.equals("login_cancelled"))
                .forEach(code -> assertThat(scrape.value("pot_login_logins_refused_total", "reason", code))
                        .as(code).isZero());
        assertThat(scrape.value("pot_login_sign_outs_total", "outcome", "ended")).isEqualTo(1);

        assertThat(scrape.value("pot_login_portal_calls_seconds_count", "call", "token_exchange", "outcome", "ok"))
                .isEqualTo(2);
        assertThat(scrape.value("pot_login_portal_calls_seconds_count", "call", "token_verification", "outcome", "ok"))
                .isEqualTo(2);
        // The cancelled login's state is spent too: a callback with an error is judged by its state first.
        assertThat(scrape.value("pot_login_store_calls_seconds_count", "call", "used_state_mark", "outcome", "ok"))
                .isEqualTo(3);
        assertThat(scrape.value("pot_login_store_calls_seconds_count", "call", "used_state_mark",
                "outcome", "already_used")).isEqualTo(1);
        assertThat(scrape.value("pot_login_store_calls_seconds_count", "call", "signed_out_remember",
                "outcome", "ok")).isEqualTo(1);
        // A histogram, so that a latency quantile can be computed across instances.
        assertThat(scrape.value("pot_login_portal_calls_seconds_bucket", "call", "token_exchange", "outcome", "ok",
                "le", "+Inf")).isEqualTo(2);
    }

    @Test
    void with_metrics_switched_off_a_sign_in_still_completes_and_nothing_is_registered() {
        servers.close();
        servers = PotLoginWithSandbox.start(Map.of("micronaut.metrics.enabled", false));
        ScriptedBrowser user = new ScriptedBrowser();

        assertThat(user.get(servers.callbackFor(user, "/")).statusCode()).isEqualTo(200);
        assertThat(servers.appContext().findBean(PrometheusMeterRegistry.class)).isEmpty();
    }

    /**
     * What Prometheus reads: micronaut-management's {@code /prometheus}, which the sandbox setup serves on the app's own
     * (loopback) port, as a scraper would fetch it.
     */
    private Scrape scrape() {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            java.net.http.HttpResponse<String> response = http.send(
                    java.net.http.HttpRequest.newBuilder(servers.app("/prometheus")).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /prometheus").isEqualTo(200);
            return new Scrape(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Samples of the Prometheus text format 0.0.4: {@code name{label="value",…} number}. */
    record Scrape(String text) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
        private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

        /** The sample with exactly these labels (name, value, name, value…); fails if there is none. */
        double value(String name, String... labels) {
            Map<String, String> wanted = new TreeMap<>();
            for (int i = 0; i < labels.length; i += 2) {
                wanted.put(labels[i], labels[i + 1]);
            }
            return text.lines().map(SAMPLE::matcher).filter(Matcher::matches)
                    .filter(sample -> sample.group(1).equals(name) && labelsOf(sample.group(2)).equals(wanted))
                    .map(sample -> Double.parseDouble(sample.group(3)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + name + wanted + " in the scrape:\n" + text));
        }

        private static Map<String, String> labelsOf(String labels) {
            Map<String, String> parsed = new TreeMap<>();
            if (labels != null) {
                Matcher label = LABEL.matcher(labels);
                while (label.find()) {
                    parsed.put(label.group(1), label.group(2));
                }
            }
            return parsed;
        }
    }
}
