package pot.login.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.SessionId;
import pot.login.domain.port.out.RememberResult;
import pot.login.domain.port.out.SignOutCheck;
import pot.login.domain.port.out.SignedOutSessions;

/**
 * Signed-out sessions in Redis, shared by every app instance: a session signed out at one instance is refused at all.
 *
 * <p>Remembering is {@code SET pot-login:signed-out:<session id> 1 PXAT <token expiry>}, checking is {@code EXISTS}.
 * The key is the session's id (a digest of its token, never the token) and expires with the token on Redis's own
 * clock: after that the token is refused for its expiry anyway. Nothing else is stored, and nothing needs evicting
 * early, unlike an in-memory store.
 *
 * <p>It fails closed and fast through the bounded waits of its {@link RedisConnection}: any fault is
 * {@code Unavailable}, never an exception.
 */
public final class RedisSignedOutSessions implements SignedOutSessions {

    static final String KEY_PREFIX = "pot-login:signed-out:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisSignedOutSessions.class);
    private static final String OK = "OK";

    private final RedisConnection redis;
    private final OutageLog outages = new OutageLog(LOG, "signed-out-session store",
            "sign-outs and signed-in pages fail closed until it does");

    /** @param redis the app's connection, shared with its other Redis adapters; its owner closes it */
    public RedisSignedOutSessions(RedisConnection redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public RememberResult remember(SessionId session, Instant until) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(until, "until");
        try {
            // No NX: signing out twice only sets the same expiry again.
            String answer = redis.commands().set(KEY_PREFIX + session.value(), "1", SetArgs.Builder.pxAt(until));
            if (!OK.equals(answer)) {
                return new RememberResult.Unavailable(failed("an answer to SET that is not OK"));
            }
            answered();
            return new RememberResult.Remembered();
        } catch (RedisException | IllegalStateException | UnsupportedOperationException e) {
            // Class name only: Lettuce's messages may quote the command, and with it a session's id.
            return new RememberResult.Unavailable(failed(e.getClass().getSimpleName()));
        }
    }

    @Override
    public SignOutCheck check(SessionId session) {
        Objects.requireNonNull(session, "session");
        try {
            Long found = redis.commands().exists(KEY_PREFIX + session.value());
            if (found == null) {
                return new SignOutCheck.Unavailable(failed("no answer to EXISTS"));
            }
            answered();
            return found > 0 ? new SignOutCheck.SignedOut() : new SignOutCheck.NotSignedOut();
        } catch (RedisException | IllegalStateException | UnsupportedOperationException e) {
            return new SignOutCheck.Unavailable(failed(e.getClass().getSimpleName()));
        }
    }

    private void answered() {
        outages.answered(redis);
    }

    private String failed(String why) {
        return outages.failed(redis, why);
    }
}
