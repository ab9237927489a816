package io.wattproof.agent.interval;

import io.wattproof.agent.meter.MeterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns meter reads into closed intervals. Pure state machine: the caller reads the meter at each
 * boundary (and optionally in between) and passes the time of the read; nothing here sleeps or
 * looks at a clock.
 *
 * <p>An interval is only closed from two boundary reads that are both on time (within
 * {@code maxLateness} of their boundary). A missed or late boundary read abandons the open
 * interval instead of attributing energy to the wrong interval; the cumulative registers in the
 * next record still account for every Wh, and that record is flagged as following a gap.
 */
public final class IntervalEngine {
    private final IntervalSchedule schedule;
    private final Duration maxLateness;

    private Instant openStart;
    private MeterSnapshot openSnapshot;
    private SampleExtremes extremes;

    /**
     * @param maxLateness how long after a boundary a read still counts as that boundary's read;
     *     at most half the interval
     */
    public IntervalEngine(IntervalSchedule schedule, Duration maxLateness) {
        Duration half = schedule.length().dividedBy(2);
        if (maxLateness.isNegative() || maxLateness.compareTo(half) > 0) {
            throw new IllegalArgumentException("max lateness: expected 0 .. " + half + ", got " + maxLateness);
        }
        this.schedule = schedule;
        this.maxLateness = maxLateness;
    }

    public IntervalSchedule schedule() {
        return schedule;
    }

    /** Start of the interval being accumulated, if one is open. */
    public Optional<Instant> openIntervalStart() {
        return Optional.ofNullable(openStart);
    }

    /**
     * A read taken for {@code boundary} at {@code readAt}. Closes the open interval when this is
     * its end boundary, and opens the next one.
     */
    public Optional<ClosedInterval> onBoundary(Instant boundary, Instant readAt, MeterSnapshot snapshot) {
        if (!schedule.isBoundary(boundary)) {
            throw new IllegalArgumentException("boundary: expected a multiple of " + schedule.seconds() + " s, got " + boundary);
        }
        if (readAt.isBefore(boundary) || Duration.between(boundary, readAt).compareTo(maxLateness) > 0) {
            onBoundaryMissed(boundary);
            return Optional.empty();
        }
        Optional<ClosedInterval> closed = Optional.empty();
        if (openStart != null && openStart.plusSeconds(schedule.seconds()).equals(boundary)) {
            closed = Optional.of(new ClosedInterval(openStart, schedule, openSnapshot, snapshot, extremes.with(snapshot)));
        }
        openStart = boundary;
        openSnapshot = snapshot;
        extremes = SampleExtremes.of(snapshot);
        return closed;
    }

    /** A read between boundaries; contributes to the extremes of the open interval only. */
    public void onSample(Instant readAt, MeterSnapshot snapshot) {
        if (openStart != null && schedule.startOf(readAt).equals(openStart)) {
            extremes = extremes.with(snapshot);
        }
    }

    /** The read for {@code boundary} failed or came too late: the open interval cannot be closed. */
    public void onBoundaryMissed(Instant boundary) {
        openStart = null;
        openSnapshot = null;
        extremes = null;
    }
}
