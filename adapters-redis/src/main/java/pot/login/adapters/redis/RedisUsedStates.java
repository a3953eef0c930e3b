package pot.login.adapters.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pot.login.domain.port.out.MarkResult;
import pot.login.domain.port.out.UsedStates;

/**
 * Used states in Redis, shared by every app instance: a state replayed at another instance is refused there too.
 *
 * <p>Marking is one command, {@code SET pot-login:used-state:<id> 1 NX PXAT <expiry>}: Redis runs it atomically, so of
 * any number of racing uses exactly one gets {@code OK}; a check and a mark in two commands would let two through.
 * The key expires with the state on Redis's own clock and nothing else is stored.
 *
 * <p>It fails closed and fast through the bounded waits of its {@link RedisConnection}: any fault is
 * {@link MarkResult.Unavailable}. A command that timed out may still be run by a server that was only slow, so that
 * state may later count as used: the login is then refused as a replay, closed either way.
 */
public final class RedisUsedStates implements UsedStates {

    static final String KEY_PREFIX = "pot-login:used-state:";

    private static final Logger LOG = LoggerFactory.getLogger(RedisUsedStates.class);
    /** Redis's success answer to SET; NX answers nil when the key exists. */
    private static final String OK = "OK";

    private final RedisConnection redis;
    private final OutageLog outages = new OutageLog(LOG, "used-state store", "logins fail closed until it does");

    /** @param redis the app's connection, shared with its other Redis adapters; its owner closes it */
    public RedisUsedStates(RedisConnection redis) {
        this.redis = Objects.requireNonNull(redis, "redis");
    }

    @Override
    public MarkResult markUsed(String stateId, Instant expiresAt) {
        Objects.requireNonNull(stateId, "stateId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        try {
            String answer = redis.commands().set(KEY_PREFIX + stateId, "1", SetArgs.Builder.nx().pxAt(expiresAt));
            MarkResult result = answer == null ? new MarkResult.AlreadyUsed()
                    : OK.equals(answer) ? new MarkResult.Marked() : null;
            if (result == null) {
                return unavailable("an answer to SET that is neither OK nor nil");
            }
            outages.answered(redis);
            return result;
        } catch (RedisException | IllegalStateException | UnsupportedOperationException e) {
            // Class name only: Lettuce's messages may quote the command, and with it a state's id.
            return unavailable(e.getClass().getSimpleName());
        }
    }

    private MarkResult unavailable(String why) {
        return new MarkResult.Unavailable(outages.failed(redis, why));
    }
}
