package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;
import static pot.login.app.system.ScriptedBrowser.queryParameter;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

    /**
     * docs/examples/prometheus-alerts.yml is a Prometheus rules file whose every rule is complete, and whose expressions
     * name only series a scrape of the app has, with reason codes the app gives: an alert on a renamed metric or a
     * misspelt reason would never fire, and nothing else would say so.
     */
    @Test
    @SuppressWarnings("unchecked")
    void the_example_alert_rules_parse_and_name_only_series_the_app_serves() throws Exception {
        ScriptedBrowser user = new ScriptedBrowser();
        user.get(servers.callbackFor(user, "/"));
        Scrape scrape = scrape();
        Set<String> reasons = Arrays.stream(Rejection.values()).map(Rejection::code).collect(Collectors.toSet());

        Map<String, Object> file;
        try (var in = Files.newInputStream(Path.of("..", "docs", "examples", "prometheus-alerts.yml"))) {
            file = new org.yaml.snakeyaml.Yaml().load(in);
        }
        List<Map<String, Object>> rules = ((List<Map<String, Object>>) file.get("groups")).stream()
                .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
        assertThat(rules).isNotEmpty();
        for (Map<String, Object> rule : rules) {
            String expr = (String) rule.get("expr");
            assertThat(rule).as("a rule").containsKeys("alert", "expr", "for", "labels", "annotations");
            assertThat(((Map<String, Object>) rule.get("labels"))).as(rule.get("alert") + " labels").containsKey("severity");
            assertThat(((Map<String, Object>) rule.get("annotations"))).as(rule.get("alert") + " annotations")
                    .containsKey("summary");
            assertThat(expr.chars().filter(c -> c == '(').count()).as(expr)
                    .isEqualTo(expr.chars().filter(c -> c == ')').count());
            Matcher series = SERIES.matcher(expr);
            while (series.find()) {
                String name = series.group(1);
                assertThat(scrape.names()).as(rule.get("alert") + " names " + name).contains(name);
                Matcher label = MATCHER.matcher(series.group(2) == null ? "" : series.group(2));
                while (label.find()) {
                    for (String value : label.group(3).split("\\|")) {
                        switch (label.group(1)) {
                            case "reason" -> assertThat(reasons).as(rule.get("alert") + " reason").contains(value);
                            case "call" -> assertThat(scrape.labelValues(name, "call"))
                                    .as(rule.get("alert") + " call").contains(value);
                            default -> assertThat(value).as(rule.get("alert") + " " + label.group(1)).isNotBlank();
                        }
                    }
                }
            }
        }
    }

    private static final Pattern SERIES = Pattern.compile("\\b(pot_login_[a-z_]+)(?:\\{([^}]*)})?");
    private static final Pattern MATCHER = Pattern.compile("([a-z_]+)\\s*(=~|=)\\s*\"([^\"]*)\"");

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

        /** The names of every sample. */
        Set<String> names() {
            return text.lines().map(SAMPLE::matcher).filter(Matcher::matches).map(sample -> sample.group(1))
                    .collect(Collectors.toSet());
        }

        /** The values of one label across the samples of one name. */
        Set<String> labelValues(String name, String label) {
            return text.lines().map(SAMPLE::matcher).filter(Matcher::matches)
                    .filter(sample -> sample.group(1).equals(name))
                    .map(sample -> labelsOf(sample.group(2)).get(label)).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toSet());
        }

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
