package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static pot.login.app.system.ScriptedBrowser.location;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import pot.login.app.system.FaultyPortal.Fault;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * The app against a portal whose token endpoint fails in each way a real one can: the browser gets a stable code
 * within the read timeout + 1 s and no session, the failed attempt's state cannot be replayed, the next login after
 * the portal recovers succeeds, and no Micronaut warning says an event loop was blocked on the portal.
 *
 * <p>The browser goes to the real sandbox for the authorize step; only the app's API root (token endpoint and
 * {@code /api/me}) goes through {@link FaultyPortal}. The JWKS is fetched from the sandbox directly, so that a fault
 * of the token endpoint is the only thing under test.
 */
class PortalFaultsSystemTest {

    static final String SESSION_COOKIE = "__Host-pot-session";
    /** Short, to keep the class fast; the product's default is 5 s. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** The contract: an answer within the configured timeout + 1 s. */
    static final Duration ANSWER_WITHIN = READ_TIMEOUT.plusSeconds(1);

    /** Texts Micronaut's HTTP client logs or throws when a blocking call is made on a Netty event loop. */
    static final List<String> EVENT_LOOP_BLOCKED = List.of("on a netty event loop thread",
            "blocking request on the event loop");

    static PortalSandbox sandbox;
    static FaultyPortal portal;
    static EmbeddedServer app;
    static Logger root;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);

        int appPort = freePort();
        URI redirectUri = URI.create("http://localhost:" + appPort + "/login/complete");
        sandbox = PortalSandbox.start(SandboxSettings.defaults()
                        .withPort(0)
                        .withClients(List.of(new RegisteredClient(PotLoginWithSandbox.CLIENT_ID,
                                PotLoginWithSandbox.CLIENT_SECRET, List.of(redirectUri.toString())))),
                Map.of("pot-login.enabled", false));
        portal = FaultyPortal.inFrontOf(sandbox.uri());
        Map<String, Object> settings = new HashMap<>();
        settings.put("micronaut.server.port", appPort);
        settings.put("micronaut.server.host", "localhost");
        settings.put("pot-login.api-root", portal.uri().toString());
        settings.put("pot-login.authorize-uri", sandbox.uri().resolve("/").toString());
        settings.put("pot-login.jwks-uri", sandbox.uri().resolve("/keys/jwks.json").toString());
        settings.put("pot-login.issuer", sandbox.issuer());
        settings.put("pot-login.client-id", PotLoginWithSandbox.CLIENT_ID);
        settings.put("pot-login.client-secret", PotLoginWithSandbox.CLIENT_SECRET);
        settings.put("pot-login.redirect-uri", redirectUri.toString());
        settings.put("pot-login.state.signing-key-id", "system-1");
        settings.put("pot-login.state.keys.system-1", PotLoginWithSandbox.STATE_KEY);
        settings.put("micronaut.http.services.portal.read-timeout", READ_TIMEOUT.toMillis() + "ms");
        app = ApplicationContext.run(EmbeddedServer.class, settings);
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.getApplicationContext().close();
            }
        } finally {
            if (portal != null) {
                portal.close();
            }
            if (sandbox != null) {
                sandbox.close();
            }
            root.detachAppender(logs);
        }
    }

    @BeforeEach
    void forgetEarlierLogs() {
        portal.inject(Fault.NONE);
        portal.resetCount();
        synchronized (logs) {
            logs.list.clear();
        }
    }

    @AfterEach
    void portalRecovers() {
        portal.inject(Fault.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"REFUSED", "STATUS_500", "STATUS_503"})
    void a_portal_that_cannot_be_reached_or_answers_5xx_gives_portal_unavailable_and_no_session(Fault fault) {
        failsThenRecovers(fault, 502, "portal_unavailable");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = "SLOW")
    void a_portal_that_times_out_gives_portal_timeout_within_the_read_timeout_and_no_session(Fault fault) {
        failsThenRecovers(fault, 504, "portal_timeout");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"GARBAGE_200", "NO_ACCESS_TOKEN_200", "HUGE_200", "BAD_TOKEN"})
    void a_portal_whose_answer_is_not_a_usable_token_gives_portal_bad_response_and_no_session(Fault fault) {
        failsThenRecovers(fault, 502, "portal_bad_response");
    }

    private static void failsThenRecovers(Fault fault, int status, String code) {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(browser);
        // A copy of the flow cookie as it was before the callback spent it: what a replayer would hold.
        Map<String, String> flowCookies = browser.cookies(app("/"));
        portal.inject(fault);

        long started = System.nanoTime();
        HttpResponse<String> failed = browser.get(callback);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("portal fault %s: %d %s in %d ms%n", fault, failed.statusCode(),
                failed.body().replaceAll("(?s).*?\\b(portal_[a-z_]+).*", "$1"), took.toMillis());
        // First the cause, if the exchange ran on an event loop: every fault would then look like portal_unavailable.
        assertNoEventLoopWasBlocked(fault, code);

        assertThat(failed.statusCode()).as("status for %s", fault).isEqualTo(status);
        assertThat(failed.body()).as("body for %s", fault).contains(code);
        assertThat(took).as("answer time for %s", fault).isLessThanOrEqualTo(ANSWER_WITHIN);
        assertNoSessionSetBy(failed);
        // One request for one code, never a retry (ADR-0004); a refused connection never got as far as a request.
        int asked = fault == Fault.REFUSED ? 0 : 1;
        assertThat(portal.tokenRequests()).as("token requests for %s", fault).isEqualTo(asked);
        assertThat(browser.cookie(app("/"), SESSION_COOKIE)).isNull();

        // The state of the failed attempt is spent: replaying its callback, even with the flow cookie, is refused
        // before the portal is asked again (a code must not be redeemed twice).
        portal.inject(Fault.NONE);
        ScriptedBrowser replayer = new ScriptedBrowser();
        flowCookies.forEach((name, value) -> replayer.plantCookie(app("/"), name, value));
        HttpResponse<String> replayed = replayer.get(callback);
        assertThat(replayed.statusCode()).isEqualTo(400);
        assertThat(replayed.body()).contains("state_replayed");
        assertNoSessionSetBy(replayed);
        // And in the browser that made the attempt, whose flow cookie is gone.
        HttpResponse<String> again = browser.get(callback);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("state_not_bound");
        assertNoSessionSetBy(again);
        assertThat(portal.tokenRequests()).as("token requests after the replays of %s", fault).isEqualTo(asked);

        // The portal is back: the very next login, in a fresh browser, signs the user in.
        ScriptedBrowser next = new ScriptedBrowser();
        HttpResponse<String> landing = next.get(callbackFor(next));
        assertThat(landing.statusCode()).as("login after %s recovered", fault).isEqualTo(200);
        assertThat(next.cookie(app("/"), SESSION_COOKIE)).startsWith("ey");
        HttpResponse<String> me = next.get(app("/me"));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"id\":\"demo\"");

        assertThat(events()).as("login after %s recovered", fault)
                .anyMatch(event -> event.getFormattedMessage().startsWith("login completed"));
        assertNoEventLoopWasBlocked(fault, code);
    }

    private static void assertNoSessionSetBy(HttpResponse<String> response) {
        assertThat(response.headers().allValues("Set-Cookie"))
                .noneMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "=") && !cookie.startsWith(SESSION_COOKIE + "=;"));
    }

    /**
     * The app blocks on the portal only on its blocking executor. Micronaut 4.10 does not log a blocking call on an
     * event loop, it throws (and the adapter would turn that into {@code portal_unavailable}), so besides looking for
     * its text and for Micronaut errors this looks at the thread that logged the refusal and the exchange's failure.
     */
    private static void assertNoEventLoopWasBlocked(Fault fault, String code) {
        List<ILoggingEvent> events = events();
        assertThat(events).as("event-loop warnings during %s", fault)
                .noneMatch(event -> EVENT_LOOP_BLOCKED.stream().anyMatch(text -> everything(event).contains(text)));
        assertThat(events).as("Micronaut errors during %s", fault)
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                        && event.getLoggerName().startsWith("io.micronaut"));
        List<ILoggingEvent> portalCalls = events.stream()
                .filter(event -> event.getFormattedMessage().startsWith("login refused")
                        || event.getFormattedMessage().startsWith("login completed")
                        || event.getLoggerName().endsWith("MicronautHttpTokenExchange"))
                .toList();
        assertThat(portalCalls.stream()
                .filter(event -> event.getThreadName().toLowerCase().contains("eventloop"))
                .map(event -> event.getThreadName() + ": " + event.getFormattedMessage()))
                .as("events of the portal call on a Netty event loop thread during %s", fault)
                .isEmpty();
        assertThat(portalCalls).as("the refusal of %s is logged with its reason", fault)
                .anyMatch(event -> event.getKeyValuePairs() != null && event.getKeyValuePairs().stream()
                        .anyMatch(pair -> pair.key.equals("reason") && code.equals(pair.value)));
    }

    /** A copy, taken under the appender's own lock: the app's threads may be appending meanwhile. */
    private static List<ILoggingEvent> events() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private static String everything(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        for (var proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
            text += "\n" + proxy.getClassName() + ": " + proxy.getMessage();
        }
        return text.toLowerCase();
    }

    /** /login and the portal's form in this browser; the callback URL, not yet followed. */
    private static URI callbackFor(ScriptedBrowser browser) {
        URI authorize = location(browser.get(app("/login")));
        return location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
    }

    private static URI app(String path) {
        return app.getURI().resolve(path);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
