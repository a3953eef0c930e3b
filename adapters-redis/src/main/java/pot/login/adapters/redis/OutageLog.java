package pot.login.adapters.redis;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * One warning when a Redis store stops answering and one line when it answers again, never one per request: an
 * outage under load would otherwise bury every other line. What the line names is the store and the class of the
 * fault, never a key (a state's or a session's id).
 */
final class OutageLog {

    private final Logger log;
    private final String store;
    private final String whileDown;
    private final AtomicBoolean down = new AtomicBoolean();

    /**
     * @param store     what the lines call the store, e.g. "used-state store"
     * @param whileDown what fails closed meanwhile, e.g. "logins fail closed until it does"
     */
    OutageLog(Logger log, String store, String whileDown) {
        this.log = log;
        this.store = store;
        this.whileDown = whileDown;
    }

    /** @return the detail for the port's Unavailable result */
    String failed(RedisConnection redis, String why) {
        if (down.compareAndSet(false, true)) {
            log.warn("The Redis {} at {} does not answer ({}): {}", store, redis.redacted(), why, whileDown);
        }
        return "Redis did not answer: " + why;
    }

    void answered(RedisConnection redis) {
        if (down.compareAndSet(true, false)) {
            log.info("The Redis {} at {} answers again", store, redis.redacted());
        }
    }
}
