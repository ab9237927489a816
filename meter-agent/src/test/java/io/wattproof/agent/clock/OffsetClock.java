package io.wattproof.agent.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A test clock that runs with the system clock but can be stepped by any amount while it runs, as
 * an NTP step or an RTC reset moves a device's clock under a running agent. Thread-safe.
 */
public final class OffsetClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /** From now on the clock reads the system time plus {@code offset}. */
    public void setOffset(Duration offset) {
        this.offset = offset;
    }

    /** From now on the clock reads {@code to} and runs on from there. */
    public void stepTo(Instant to) {
        offset = Duration.between(Instant.now(), to);
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
        throw new UnsupportedOperationException("test clock is UTC only");
    }
}
