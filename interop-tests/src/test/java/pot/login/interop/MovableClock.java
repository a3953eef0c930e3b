package pot.login.interop;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The app's clock, moved by a test instead of waiting: the system's time plus an offset. Only where a test asks for it
 * ({@code interop.clock=movable}). micronaut-security's own expiry check still reads the system's time (ADR-0007).
 */
@Singleton
@Replaces(Clock.class)
@Requires(property = "interop.clock", value = "movable")
final class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void advance(Duration duration) {
        offset = offset.plus(duration);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
