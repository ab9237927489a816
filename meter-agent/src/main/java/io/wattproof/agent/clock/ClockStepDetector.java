package io.wattproof.agent.clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Notices the wall clock being stepped between two reads, including steps too small to leave the
 * open interval: compares how far the wall clock moved with how far a monotonic counter moved.
 * On Linux, {@link System#nanoTime} reads CLOCK_MONOTONIC, which clock_gettime(2) describes as not
 * affected by discontinuous jumps in the system time but affected by the incremental adjustments
 * of adjtime(3) and NTP; so slewing moves both alike and the difference is the step. Pure: the
 * caller passes both readings.
 */
public final class ClockStepDetector {
    /**
     * Larger than any difference slewing or scheduling can make between two reads taken one
     * sample period (≤ 10 s) apart, much smaller than the steps that matter.
     */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(1);

    private final long toleranceNanos;
    private Instant lastWall;
    private long lastMonotonic;

    public ClockStepDetector(Duration tolerance) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("clock step tolerance: expected ≥ 0, got " + tolerance);
        }
        this.toleranceNanos = tolerance.toNanos();
    }

    /**
     * @param wall the wall clock now
     * @param monotonicNanos the monotonic counter now, in nanoseconds
     * @return how far the wall clock was stepped since the previous call (positive: forward), if
     *     more than the tolerance; nothing on the first call
     */
    public Optional<Duration> observe(Instant wall, long monotonicNanos) {
        Optional<Duration> step = Optional.empty();
        if (lastWall != null) {
            Duration wallElapsed = Duration.between(lastWall, wall);
            long monotonicElapsed = monotonicNanos - lastMonotonic; // a difference: nanoTime may wrap
            Duration difference = wallElapsed.minusNanos(monotonicElapsed);
            if (difference.abs().toNanos() > toleranceNanos) {
                step = Optional.of(difference);
            }
        }
        lastWall = wall;
        lastMonotonic = monotonicNanos;
        return step;
    }
}
