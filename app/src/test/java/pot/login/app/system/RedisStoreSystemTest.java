package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import pot.login.adapters.redis.RedisServer;

/**
 * The app with {@code pot-login.store: redis} against a real redis-server that the test starts, stops and pauses.
 * Token requests are counted by a {@link FaultyPortal} (no fault) in front of the sandbox: a login that fails closed
 * must not have shown its code to the portal.
 */
class RedisStoreSystemTest {

    private static final String SESSION_COOKIE = "__Host-pot-session";
    private static final String FLOW_PREFIX = "__Host-pot-flow-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** The brief's bound: the store's timeout plus one second for everything else a login does. */
    private static final Duration REFUSED_WITHIN = COMMAND_TIMEOUT.plusSeconds(1);
    /** Generous: Lettuce reconnects within a second, but a loaded build machine may delay the first answers. */
    private static final Duration BACK_WITHIN = Duration.ofSeconds(15);

    private static RedisServer redis;
    private static FaultyPortal portal;
    private static PotLoginWithSandbox system;
    /** A second instance of the app, as behind a load balancer: same settings, same Redis, its own port. */
    private static EmbeddedServer instanceB;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        try {
            int portB = PotLoginWithSandbox.freePort();
            system = PotLoginWithSandbox.start(Map.of(
                    "pot-login.store", "redis",
                    "pot-login.redis.uri", redis.uri().toString(),
                    "pot-login.redis.connect-timeout", COMMAND_TIMEOUT.toMillis() + "ms",
                    "pot-login.redis.command-timeout", COMMAND_TIMEOUT.toMillis() + "ms"),
                    sandbox -> (portal = FaultyPortal.inFrontOf(sandbox)).uri(), List.of(portB));
            instanceB = system.startAnotherInstance(portB);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (instanceB != null) {
                instanceB.getApplicationContext().close();
            }
            if (system != null) {
                system.close();
            }
        } finally {
            try {
                if (portal != null) {
                    portal.close();
                }
            } finally {
                redis.close();
            }
        }
    }

    @AfterEach
    void redisBack() {
        redis.resume();
    }

    @Test
    void a_login_completes_with_redis_and_its_replay_is_state_replayed_without_a_token_request() {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = system.callbackFor(browser, "/");
        Map.Entry<String, String> flow = browser.cookies(system.app("/")).entrySet().stream()
                .filter(cookie -> cookie.getKey().startsWith(FLOW_PREFIX)).findFirst().orElseThrow();
        portal.resetCount();

        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).startsWith("ey");
        assertThat(portal.tokenRequests()).isEqualTo(1);

        ScriptedBrowser withCopy = new ScriptedBrowser();
        withCopy.plantCookie(system.app("/"), flow.getKey(), flow.getValue());
        HttpResponse<String> replay = withCopy.get(callback);

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("state_replayed");
        assertThat(withCopy.cookie(system.app("/"), SESSION_COOKIE)).isNull();
        assertThat(portal.tokenRequests()).as("the replay never reached the token endpoint").isEqualTo(1);
    }

    @Test
    void with_redis_stopped_a_callback_is_503_store_unavailable_at_once_and_the_next_login_works_once_it_is_back()
            throws InterruptedException {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = system.callbackFor(browser, "/");

        redis.stop();
        try {
            assertFailsClosed(browser, callback, "stopped");
        } finally {
            redis.startAgain();
        }
        assertSignsInOnceBack(browser, callback, "restarted");
    }

    @Test
    void with_redis_paused_a_callback_is_503_store_unavailable_within_the_timeout_and_the_next_login_works_once_it_resumes()
            throws InterruptedException {
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = system.callbackFor(browser, "/");
        // Connected first, so the command is written to a server that no longer reads: the timeout, not a refusal.
        ScriptedBrowser warmUp = new ScriptedBrowser();
        assertThat(warmUp.get(system.callbackFor(warmUp, "/")).statusCode()).isEqualTo(200);

        redis.pause();
        try {
            assertFailsClosed(browser, callback, "paused");
        } finally {
            redis.resume();
        }
        ScriptedBrowser next = new ScriptedBrowser();
        assertSignsInOnceBack(next, system.callbackFor(next, "/"), "resumed");

        // The paused server still ran the SET it had been sent before the timeout: that callback now counts as used.
        // Closed, never open: the user starts again, and the code it carried was never redeemed.
        HttpResponse<String> late = browser.get(callback);
        assertThat(late.statusCode()).isEqualTo(400);
        assertThat(late.body()).contains("state_replayed");
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).isNull();
    }

    @Test
    void a_session_signed_out_at_one_instance_is_refused_and_cleared_at_another_that_shares_the_redis() {
        ScriptedBrowser browser = new ScriptedBrowser();
        assertThat(browser.get(system.callbackFor(browser, "/")).statusCode()).isEqualTo(200);
        String token = browser.cookie(system.app("/"), SESSION_COOKIE);
        URI meAtB = instanceB.getURI().resolve("/me");
        assertThat(withCookie(meAtB, token).get(meAtB).statusCode()).as("B accepts the session before sign-out")
                .isEqualTo(200);

        URI home = system.app("/");
        HttpResponse<String> logout = browser.postForm(system.app("/logout"), Map.of(),
                home.getScheme() + "://" + home.getRawAuthority());
        assertThat(logout.statusCode()).isEqualTo(303);

        HttpResponse<String> me = withCookie(meAtB, token).getAccepting(meAtB, "application/json");
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).contains("\"code\":\"not_signed_in\"").doesNotContain(token);
        assertThat(ScriptedBrowser.setCookie(me, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=;");
        assertThat(ScriptedBrowser.attributes(ScriptedBrowser.setCookie(me, SESSION_COOKIE))).contains("max-age=0");
    }

    @Test
    void each_instance_keeps_one_connection_to_redis_for_both_of_its_stores() throws InterruptedException {
        for (URI site : List.of(system.app("/"), instanceB.getURI())) {
            ScriptedBrowser browser = new ScriptedBrowser();
            URI callback = signIn(site, browser);
            // Retried: another test may have restarted Redis, and Lettuce reconnects in the background.
            assertThat(untilNot503(() -> browser.get(callback)).statusCode()).as("a used state marked")
                    .isEqualTo(200);
            assertThat(untilNot503(() -> browser.get(site.resolve("/me"))).statusCode()).as("a sign-out checked")
                    .isEqualTo(200);
        }

        RedisClient admin = RedisClient.create(redis.uri().toString());
        try (StatefulRedisConnection<String, String> connection = admin.connect()) {
            assertThat(connection.sync().clientList().lines().count()).as("A's, B's and this one")
                    .isEqualTo(3);
        } finally {
            admin.shutdown();
        }
    }

    private static HttpResponse<String> untilNot503(Supplier<HttpResponse<String>> request)
            throws InterruptedException {
        long deadline = System.nanoTime() + BACK_WITHIN.toNanos();
        HttpResponse<String> response = request.get();
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            response = request.get();
        }
        return response;
    }

    /** {@link PotLoginWithSandbox#callbackFor} at either instance. */
    private static URI signIn(URI site, ScriptedBrowser browser) {
        URI authorize = ScriptedBrowser.location(browser.get(site.resolve("/login?return_to=/")));
        return ScriptedBrowser.location(browser.signInAtPortal(authorize, "demo", "demo", "sign-in"));
    }

    /** A browser that holds a copy of the session cookie for that site, and nothing else. */
    private static ScriptedBrowser withCookie(URI site, String token) {
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(site, SESSION_COOKIE, token);
        return copy;
    }

    private static void assertFailsClosed(ScriptedBrowser browser, URI callback, String how) {
        portal.resetCount();
        long start = System.nanoTime();
        HttpResponse<String> refused = browser.get(callback);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("RedisStoreSystemTest: Redis %s -> %d in %d ms%n", how, refused.statusCode(),
                took.toMillis());

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("store_unavailable");
        assertThat(took).isLessThan(REFUSED_WITHIN);
        assertThat(refused.headers().allValues("Set-Cookie")).as("no session, and the flow cookie is not spent")
                .isEmpty();
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).isNull();
        assertThat(portal.tokenRequests()).as("the code was not shown to the portal").isZero();

        // Starting a login needs no store: it keeps working while Redis is down.
        HttpResponse<String> login = new ScriptedBrowser().get(system.app("/login"));
        assertThat(login.statusCode()).isEqualTo(303);
        assertThat(ScriptedBrowser.queryParameter(ScriptedBrowser.location(login), "state")).isNotBlank();
    }

    /** The same callback, retried as a user would reload, until Lettuce has reconnected. */
    private static void assertSignsInOnceBack(ScriptedBrowser browser, URI callback, String how)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + BACK_WITHIN.toNanos();
        HttpResponse<String> landing = browser.get(callback);
        while (landing.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            landing = browser.get(callback);
        }
        System.out.printf("RedisStoreSystemTest: Redis %s -> signed in after %d ms%n", how,
                Duration.ofNanos(System.nanoTime() - start).toMillis());

        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(browser.cookie(system.app("/"), SESSION_COOKIE)).startsWith("ey");
    }
}
