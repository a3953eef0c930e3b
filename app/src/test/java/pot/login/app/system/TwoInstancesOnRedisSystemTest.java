package pot.login.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import pot.login.adapters.redis.RedisServer;
import pot.login.sandbox.PortalSandbox;
import pot.login.sandbox.RegisteredClient;
import pot.login.sandbox.SandboxSettings;

/**
 * Two instances of the app as production runs them: separate processes ({@link AppProcess}) behind one imaginary
 * load balancer, with the same settings, one public redirect URI (instance A's address) and one real Redis. The test
 * is the load balancer: it sends each request to A's or B's port. Token requests are counted by a {@link FaultyPortal}
 * (no fault) in front of the sandbox. {@link RedisStoreSystemTest} covers two contexts in one JVM; this one also
 * restarts instances one at a time, as a rolling restart does.
 *
 * <p>The tests are ordered only to restart as few processes as possible: each one first puts each instance on the
 * keys it needs ({@link Instance#runWith}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesOnRedisSystemTest {

    private static final String SESSION_COOKIE = "__Host-pot-session";
    private static final String FLOW_PREFIX = "__Host-pot-flow-";
    private static final Map<String, String> SECRETS = Map.of(
            "k1", "two-instances-key-1-0123456789abcdef0123456",
            "k2", "two-instances-key-2-0123456789abcdef0123456");
    private static final int COPIES = 20;
    private static final int ROUNDS = 5;

    /** The state keys of one instance, as its environment variables. */
    record Keys(String name, String signingKeyId, List<String> keyIds) {

        Map<String, String> environment() {
            Map<String, String> variables = new HashMap<>();
            variables.put("POT_LOGIN_STATE_SIGNING_KEY_ID", signingKeyId);
            keyIds.forEach(id -> variables.put("POT_LOGIN_STATE_KEYS_" + id.toUpperCase(Locale.ROOT), SECRETS.get(id)));
            return variables;
        }
    }

    private static final Keys PHASE_0 = new Keys("phase 0", "k1", List.of("k1"));
    /** The new key is known everywhere before anything signs with it. */
    private static final Keys PHASE_1 = new Keys("phase 1", "k1", List.of("k1", "k2"));
    /** The new key signs; the old one still verifies the logins it signed, which are in flight. */
    private static final Keys PHASE_2 = new Keys("phase 2", "k2", List.of("k1", "k2"));

    /** One instance behind the load balancer: its port stays the same across restarts. */
    static final class Instance {
        private final String name;
        private final int port;
        private AppProcess process;
        private Keys keys;

        Instance(String name, int port) {
            this.name = name;
            this.port = port;
        }

        /** Restarts the instance with these keys, unless it already runs with them. */
        void runWith(Keys wanted) {
            if (process != null && wanted.equals(keys)) {
                return;
            }
            stop();
            process = AppProcess.start(name, port, settings(wanted));
            keys = wanted;
            System.out.printf("TwoInstancesOnRedisSystemTest: instance %s (%s) answered %d ms after its JVM started%n",
                    name, wanted.name(), process.startedIn().toMillis());
        }

        void stop() {
            if (process != null) {
                AppProcess stopping = process;
                process = null;
                long start = System.nanoTime();
                stopping.close();
                System.out.printf("TwoInstancesOnRedisSystemTest: instance %s (%s) stopped in %d ms%n", name,
                        keys.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                keys = null;
            }
        }

        URI uri(String path) {
            return URI.create("http://localhost:" + port).resolve(path);
        }

        /** The same URL, sent to this instance: what the load balancer does with the public address. */
        URI route(URI publicUri) {
            return URI.create(publicUri.getScheme() + "://" + publicUri.getHost() + ":" + port
                    + publicUri.getRawPath() + (publicUri.getRawQuery() == null ? "" : "?" + publicUri.getRawQuery()));
        }
    }

    private static RedisServer redis;
    private static PortalSandbox sandbox;
    private static FaultyPortal portal;
    private static Instance a;
    private static Instance b;
    private static URI redirectUri;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        try {
            a = new Instance("A", PotLoginWithSandbox.freePort());
            b = new Instance("B", PotLoginWithSandbox.freePort());
            redirectUri = a.uri("/login/complete");
            sandbox = PortalSandbox.start(SandboxSettings.defaults()
                            .withPort(0)
                            .withPendingCodesPerUser(100)
                            .withClients(List.of(new RegisteredClient(PotLoginWithSandbox.CLIENT_ID,
                                    PotLoginWithSandbox.CLIENT_SECRET, List.of(redirectUri.toString())))),
                    Map.of("pot-login.enabled", false));
            portal = FaultyPortal.inFrontOf(sandbox.uri());
            // The two starts overlap: nothing here depends on which instance answers first.
            CompletableFuture<Void> startingB = CompletableFuture.runAsync(() -> b.runWith(PHASE_0));
            try {
                a.runWith(PHASE_0);
            } finally {
                startingB.join();
            }
        } catch (RuntimeException | Error e) {
            stop();
            throw e;
        }
    }

    /** Also after a failed start (JUnit runs it then too): each part is stopped once, whatever else fails. */
    @AfterAll
    static void stop() {
        try {
            for (Instance instance : new Instance[] {a, b}) {
                if (instance != null) {
                    instance.stop();
                }
            }
        } finally {
            try {
                if (portal != null) {
                    portal.close();
                    portal = null;
                }
            } finally {
                try {
                    if (sandbox != null) {
                        sandbox.close();
                        sandbox = null;
                    }
                } finally {
                    if (redis != null) {
                        redis.close();
                        redis = null;
                    }
                }
            }
        }
    }

    /** What both instances share; each adds its own port and state keys. */
    private static Map<String, String> settings(Keys keys) {
        Map<String, String> settings = new HashMap<>(keys.environment());
        // Not the sandbox setup that Application falls back to: its demo key would join the key ring.
        settings.put("MICRONAUT_ENVIRONMENTS", "two-instances");
        settings.put("POT_LOGIN_API_ROOT", portal.uri().toString());
        settings.put("POT_LOGIN_ISSUER", sandbox.issuer());
        settings.put("POT_LOGIN_CLIENT_ID", PotLoginWithSandbox.CLIENT_ID);
        settings.put("POT_LOGIN_CLIENT_SECRET", PotLoginWithSandbox.CLIENT_SECRET);
        settings.put("POT_LOGIN_REDIRECT_URI", redirectUri.toString());
        settings.put("POT_LOGIN_STORE", "redis");
        settings.put("POT_LOGIN_REDIS_URI", redis.uri().toString());
        // The sub-second defaults fail closed (RedisStoreSystemTest); a JVM just started on a busy machine can take
        // longer for its first command, and a 503 here would hide what this test is about.
        settings.put("POT_LOGIN_REDIS_CONNECT_TIMEOUT", "5s");
        settings.put("POT_LOGIN_REDIS_COMMAND_TIMEOUT", "5s");
        return settings;
    }

    @Test
    @Order(1)
    void a_login_started_on_a_completes_on_b_and_both_answer_me_with_the_person() {
        a.runWith(PHASE_0);
        b.runWith(PHASE_0);
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(a, browser);

        HttpResponse<String> landing = browser.get(b.route(callback));

        assertThat(landing.statusCode()).as(landing.body()).isEqualTo(200);
        assertThat(browser.cookie(redirectUri, SESSION_COOKIE)).startsWith("ey");
        for (Instance instance : List.of(a, b)) {
            HttpResponse<String> me = browser.getAccepting(instance.uri("/me"), "application/json");
            assertThat(me.statusCode()).as("/me on " + instance.name).isEqualTo(200);
            assertThat(me.body()).as("/me on " + instance.name).contains("\"id\":\"demo\"", "\"name\":\"Demo User\"");
        }
    }

    @Test
    @Order(2)
    void its_callback_replayed_on_a_with_a_copy_of_the_flow_cookie_is_state_replayed_without_a_token_request() {
        a.runWith(PHASE_0);
        b.runWith(PHASE_0);
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(a, browser);
        Map.Entry<String, String> flow = flowCookie(browser);
        portal.resetCount();
        assertThat(browser.get(b.route(callback)).statusCode()).isEqualTo(200);
        assertThat(portal.tokenRequests()).isEqualTo(1);

        ScriptedBrowser withCopy = withFlowCookie(flow);
        HttpResponse<String> replay = withCopy.get(a.route(callback));

        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("state_replayed");
        assertThat(withCopy.cookie(redirectUri, SESSION_COOKIE)).isNull();
        assertThat(portal.tokenRequests()).as("the replay never reached the token endpoint").isEqualTo(1);
    }

    @Test
    @Order(3)
    void twenty_copies_of_one_callback_sent_to_a_and_b_at_once_sign_in_once_with_one_token_request() throws Exception {
        a.runWith(PHASE_0);
        b.runWith(PHASE_0);
        ExecutorService senders = Executors.newFixedThreadPool(COPIES);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                ScriptedBrowser browser = new ScriptedBrowser();
                URI callback = callbackFor(a, browser);
                Map.Entry<String, String> flow = flowCookie(browser);
                portal.resetCount();
                CountDownLatch ready = new CountDownLatch(COPIES);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> sent = new ArrayList<>();
                for (int copy = 0; copy < COPIES; copy++) {
                    URI target = (copy % 2 == 0 ? a : b).route(callback);
                    ScriptedBrowser withCopy = withFlowCookie(flow);
                    sent.add(senders.submit(() -> {
                        ready.countDown();
                        go.await();
                        return withCopy.get(target);
                    }));
                }
                assertThat(ready.await(10, TimeUnit.SECONDS)).as("every sender is ready").isTrue();
                go.countDown();
                int signedIn = 0;
                int replayed = 0;
                List<String> other = new ArrayList<>();
                for (Future<HttpResponse<String>> future : sent) {
                    HttpResponse<String> response = future.get(20, TimeUnit.SECONDS);
                    boolean session = response.headers().allValues("Set-Cookie").stream()
                            .anyMatch(cookie -> cookie.startsWith(SESSION_COOKIE + "=ey"));
                    if (response.statusCode() == 200 && session) {
                        signedIn++;
                    } else if (response.statusCode() == 400 && response.body().contains("state_replayed")
                            && !session) {
                        replayed++;
                    } else {
                        other.add(response.uri().getPort() + " " + response.statusCode());
                    }
                }
                int tokenRequests = portal.tokenRequests();
                System.out.printf("TwoInstancesOnRedisSystemTest: round %d of %d copies at A and B: %d signed in, "
                        + "%d state_replayed, %d other %s, %d token requests%n", round, COPIES, signedIn, replayed,
                        other.size(), other, tokenRequests);

                assertThat(signedIn).as("round %d: signed in", round).isEqualTo(1);
                assertThat(replayed).as("round %d: refused as state_replayed", round).isEqualTo(COPIES - 1);
                assertThat(tokenRequests).as("round %d: token requests at the portal", round).isEqualTo(1);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void signing_out_on_b_ends_the_session_on_a_which_refuses_and_clears_the_old_cookie() {
        a.runWith(PHASE_0);
        b.runWith(PHASE_0);
        ScriptedBrowser browser = new ScriptedBrowser();
        assertThat(browser.get(a.route(callbackFor(a, browser))).statusCode()).isEqualTo(200);
        String token = browser.cookie(redirectUri, SESSION_COOKIE);
        assertThat(withSessionCookie(token).get(a.uri("/me")).statusCode()).as("A accepts the session before sign-out")
                .isEqualTo(200);

        // The browser is on the public origin: the redirect URI's, whichever instance the balancer picks.
        HttpResponse<String> logout = browser.postForm(b.uri("/logout"), Map.of(),
                redirectUri.getScheme() + "://" + redirectUri.getRawAuthority());
        assertThat(logout.statusCode()).as(logout.body()).isEqualTo(303);

        HttpResponse<String> me = withSessionCookie(token).getAccepting(a.uri("/me"), "application/json");
        assertThat(me.statusCode()).isEqualTo(401);
        assertThat(me.body()).contains("\"code\":\"not_signed_in\"").doesNotContain(token);
        assertThat(ScriptedBrowser.setCookie(me, SESSION_COOKIE)).startsWith(SESSION_COOKIE + "=;");
        assertThat(ScriptedBrowser.attributes(ScriptedBrowser.setCookie(me, SESSION_COOKIE))).contains("max-age=0");
    }

    @Test
    @Order(5)
    void a_two_phase_key_rollout_by_rolling_restarts_loses_no_login_in_flight() {
        a.runWith(PHASE_0);
        b.runWith(PHASE_0);
        ScriptedBrowser l1 = new ScriptedBrowser();
        URI l1Callback = callbackFor(a, l1);

        a.runWith(PHASE_1);
        b.runWith(PHASE_1);
        ScriptedBrowser l2 = new ScriptedBrowser();
        URI l2Callback = callbackFor(b, l2);
        assertSignsIn(l1, b.route(l1Callback), "L1, started on A in phase 0, completed on B in phase 1");

        a.runWith(PHASE_2);
        ScriptedBrowser l3 = new ScriptedBrowser();
        URI l3Callback = callbackFor(a, l3);
        assertThat(ScriptedBrowser.queryParameter(l3Callback, "state")).as("L3 is signed with the new key")
                .startsWith("k2.");
        assertSignsIn(l3, b.route(l3Callback), "L3, started on A in phase 2, completed on B still in phase 1");
        assertSignsIn(l2, a.route(l2Callback), "L2, started on B in phase 1, completed on A in phase 2");
        b.runWith(PHASE_2);
        ScriptedBrowser l4 = new ScriptedBrowser();
        assertSignsIn(l4, a.route(callbackFor(b, l4)), "L4, started on B in phase 2, completed on A in phase 2");
    }

    @Test
    @Order(6)
    void skipping_the_verify_only_phase_a_login_signed_with_the_new_key_is_refused_where_only_the_old_key_is_known() {
        a.runWith(PHASE_2);
        b.runWith(PHASE_0);
        ScriptedBrowser browser = new ScriptedBrowser();
        URI callback = callbackFor(a, browser);
        portal.resetCount();

        HttpResponse<String> refused = browser.get(b.route(callback));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("state_invalid");
        assertThat(browser.cookie(redirectUri, SESSION_COOKIE)).isNull();
        assertThat(portal.tokenRequests()).as("the code was not shown to the portal").isZero();
    }

    private static void assertSignsIn(ScriptedBrowser browser, URI callback, String which) {
        portal.resetCount();
        HttpResponse<String> landing = browser.get(callback);
        assertThat(landing.statusCode()).as(which + ": " + landing.body()).isEqualTo(200);
        assertThat(browser.cookie(redirectUri, SESSION_COOKIE)).as(which).startsWith("ey");
        assertThat(portal.tokenRequests()).as(which).isEqualTo(1);
    }

    /** Runs {@code /login} on one instance and the portal's form; returns the callback URL (the public address). */
    private static URI callbackFor(Instance instance, ScriptedBrowser browser) {
        HttpResponse<String> login = browser.get(instance.uri("/login?return_to=/"));
        assertThat(login.statusCode()).as("/login on " + instance.name + ": " + login.body()).isEqualTo(303);
        URI callback = ScriptedBrowser.location(browser.signInAtPortal(ScriptedBrowser.location(login), "demo",
                "demo", "sign-in"));
        assertThat(callback.getPort()).as("the portal sends the browser to the public redirect URI")
                .isEqualTo(redirectUri.getPort());
        return callback;
    }

    private static Map.Entry<String, String> flowCookie(ScriptedBrowser browser) {
        return browser.cookies(redirectUri).entrySet().stream()
                .filter(cookie -> cookie.getKey().startsWith(FLOW_PREFIX)).findFirst()
                .orElseThrow(() -> new AssertionError("no flow cookie after /login"));
    }

    private static ScriptedBrowser withFlowCookie(Map.Entry<String, String> flow) {
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(redirectUri, flow.getKey(), flow.getValue());
        return copy;
    }

    private static ScriptedBrowser withSessionCookie(String token) {
        ScriptedBrowser copy = new ScriptedBrowser();
        copy.plantCookie(redirectUri, SESSION_COOKIE, token);
        return copy;
    }
}
