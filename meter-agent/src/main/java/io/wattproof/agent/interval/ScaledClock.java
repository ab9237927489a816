package io.wattproof.agent.interval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs {@code speed} times faster than real time from a chosen start, for
 * benchmarks and the simulator's time compression: a simulated day of 1-s intervals in minutes.
 * The agent divides its waits by the speed ({@link #realDelay}), so a compressed agent does the
 * same work per simulated interval as a real one, only sooner.
 */
public final class ScaledClock extends Clock {
    private final Instant start;
    private final long startNanos;
    private final double speed;

    private ScaledClock(Instant start, long startNanos, double speed) {
        this.start = start;
        this.startNanos = startNanos;
        this.speed = speed;
    }

    /** @param speed simulated seconds per real second, 1..100000 */
    public static ScaledClock startingAt(Instant start, double speed) {
        if (!(speed >= 1 && speed <= 100_000)) {
            throw new IllegalArgumentException("speed: expected 1..100000, got " + speed);
        }
        return new ScaledClock(start, System.nanoTime(), speed);
    }

    public double speed() {
        return speed;
    }

    /** How long to really wait for {@code simulated} to pass on this clock. */
    public Duration realDelay(Duration simulated) {
        return Duration.ofNanos((long) (simulated.toNanos() / speed));
    }

    /** {@code simulated} itself for any other clock. */
    public static Duration realDelay(Clock clock, Duration simulated) {
        return clock instanceof ScaledClock s ? s.realDelay(simulated) : simulated;
    }

    /**
     * How much of {@code clock}'s time passes while {@code real} passes: {@code real} times the
     * speed for a {@link ScaledClock}, {@code real} itself for any other clock. For bounds that
     * stand for real effects, such as the scheduling jitter a clock step detector must tolerate.
     */
    public static Duration simulated(Clock clock, Duration real) {
        return clock instanceof ScaledClock s ? Duration.ofNanos((long) (real.toNanos() * s.speed)) : real;
    }

    /**
     * The monotonic counter a step detector compares this clock with: {@link System#nanoTime()},
     * scaled like the clock for a {@link ScaledClock}, so that running fast is not taken for a
     * clock being stepped forward again and again.
     */
    public static long monotonicNanos(Clock clock) {
        return clock instanceof ScaledClock s ? (long) ((System.nanoTime() - s.startNanos) * s.speed) : System.nanoTime();
    }

    @Override
    public Instant instant() {
        return start.plusNanos((long) ((System.nanoTime() - startNanos) * speed));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a scaled clock runs in UTC, as the agent does");
    }
}
