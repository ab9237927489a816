package io.wattproof.simulator.fault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A device's wall clock: the run's clock plus an offset that a clock-jump fault steps, as an NTP
 * step or a {@code date -s} steps a board's clock (docs/architecture.md, "What if the clock
 * jumps?"). The monotonic clock ({@code System.nanoTime}) is not stepped, which is how the agent's
 * step detector notices.
 */
public final class SteppableClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public SteppableClock(Clock base) {
        this.base = base;
    }

    /** Steps the clock by {@code by} (negative: back), on top of earlier steps. */
    public synchronized void step(Duration by) {
        offset = offset.plus(by);
    }

    public Duration offset() {
        return offset;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        SteppableClock c = new SteppableClock(base.withZone(zone));
        c.offset = offset;
        return c;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }
}
