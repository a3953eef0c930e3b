package pot.login.app.system;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import pot.login.adapters.store.CaffeineSignedOutSessions;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;

/**
 * The app's own signed-out-session store with a switch that takes it down, answering {@code Unavailable} or throwing
 * as a client library does when its connection is gone. Only where a test asks for it
 * ({@code test.signed-out-sessions=faulty}).
 */
@Singleton
@Replaces(SignedOutSessions.class)
@Requires(property = "test.signed-out-sessions", value = "faulty")
final class FaultySignedOutSessions implements SignedOutSessions {

    enum Mode { UP, UNAVAILABLE, THROWS }

    static volatile Mode mode = Mode.UP;

    private final SignedOutSessions store = new CaffeineSignedOutSessions(1_000, Clock.systemUTC());

    @Override
    public RememberResult remember(SessionId session, Instant until) {
        return switch (mode) {
            case UP -> store.remember(session, until);
            case UNAVAILABLE -> new RememberResult.Unavailable("connection refused");
            case THROWS -> throw new IllegalStateException("connection reset while remembering " + session.value());
        };
    }

    @Override
    public SignOutCheck check(SessionId session) {
        return switch (mode) {
            case UP -> store.check(session);
            case UNAVAILABLE -> new SignOutCheck.Unavailable("connection refused");
            case THROWS -> throw new IllegalStateException("connection reset while checking " + session.value());
        };
    }
}
