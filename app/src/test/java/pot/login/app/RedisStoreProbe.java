package pot.login.app;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.SignedOutSessions;
import pot.login.domain.port.out.UsedStates;

/**
 * Run in a child JVM by {@link RedisOverTlsTest}, so that the JVM's trust store properties are its own: starts the
 * app's context with {@code pot-login.store: redis} and the URI given, then uses both stores the app wired and
 * prints what each answered, one {@code probe:} line each. Never prints the URI.
 */
public final class RedisStoreProbe {

    static final String PREFIX = "probe: ";
    static final Duration TIMEOUT = Duration.ofMillis(500);

    private RedisStoreProbe() {
    }

    public static void main(String[] args) {
        try (ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .environments(Application.SANDBOX)
                .properties(Map.of("micronaut.server.port", -1, "pot-login.sandbox.start", false,
                        "pot-login.store", "redis", "pot-login.redis.uri", args[0],
                        "pot-login.redis.connect-timeout", TIMEOUT.toMillis() + "ms",
                        "pot-login.redis.command-timeout", TIMEOUT.toMillis() + "ms"))
                .start()) {
            UsedStates usedStates = context.getBean(UsedStates.class);
            SignedOutSessions signedOut = context.getBean(SignedOutSessions.class);
            Instant expiry = Instant.now().plusSeconds(60);
            SessionId session = new SessionId("p".repeat(SessionId.LENGTH));

            long start = System.nanoTime();
            String first = usedStates.markUsed("probe-state", expiry).getClass().getSimpleName();
            System.out.println(PREFIX + "first answer within "
                    + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
            System.out.println(PREFIX + "mark " + first);
            System.out.println(PREFIX + "mark again " + usedStates.markUsed("probe-state", expiry)
                    .getClass().getSimpleName());
            System.out.println(PREFIX + "remember " + signedOut.remember(session, expiry).getClass().getSimpleName());
            System.out.println(PREFIX + "check " + signedOut.check(session).getClass().getSimpleName());
        }
    }
}
