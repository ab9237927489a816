package io.wattproof.agent.interval;

import java.time.Duration;
import java.time.Instant;

/**
 * Metering intervals aligned to multiples of their length since the Unix epoch (UTC), so a 15-minute
 * interval starts at :00, :15, :30 and :45 on every device and records of a fleet line up.
 *
 * @param seconds interval length, 1 .. 86400 s
 */
public record IntervalSchedule(long seconds) {
    public static final long MAX_SECONDS = 86_400;

    public IntervalSchedule {
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("interval: expected 1 .. " + MAX_SECONDS + " seconds, got " + seconds);
        }
    }

    public static IntervalSchedule of(Duration length) {
        if (length.getNano() != 0) {
            throw new IllegalArgumentException("interval: expected a whole number of seconds, got " + length);
        }
        return new IntervalSchedule(length.getSeconds());
    }

    public Duration length() {
        return Duration.ofSeconds(seconds);
    }

    /** Start of the interval that contains {@code t}. */
    public Instant startOf(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
    }

    /** The first boundary strictly after {@code t}. */
    public Instant nextBoundaryAfter(Instant t) {
        return startOf(t).plusSeconds(seconds);
    }

    public boolean isBoundary(Instant t) {
        return t.getNano() == 0 && Math.floorMod(t.getEpochSecond(), seconds) == 0;
    }
}
