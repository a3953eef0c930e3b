package pot.login.domain;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;

/** A signed-out-session store for domain tests, with a switch that makes it answer Unavailable like a store outage. */
public final class MemorySignedOutSessions implements SignedOutSessions {

    private final ConcurrentHashMap<SessionId, Instant> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean down;

    public MemorySignedOutSessions(Clock clock) {
        this.clock = clock;
    }

    public void goDown() {
        down = true;
    }

    public int size() {
        return entries.size();
    }

    public Instant until(SessionId session) {
        return entries.get(session);
    }

    public java.util.Set<SessionId> ids() {
        return entries.keySet();
    }

    @Override
    public RememberResult remember(SessionId session, Instant until) {
        if (down) {
            return new RememberResult.Unavailable("the test store is down");
        }
        entries.merge(session, until, (a, b) -> a.isAfter(b) ? a : b);
        return new RememberResult.Remembered();
    }

    @Override
    public SignOutCheck check(SessionId session) {
        if (down) {
            return new SignOutCheck.Unavailable("the test store is down");
        }
        Instant until = entries.get(session);
        return until != null && clock.instant().isBefore(until) ? new SignOutCheck.SignedOut()
                : new SignOutCheck.NotSignedOut();
    }
}
