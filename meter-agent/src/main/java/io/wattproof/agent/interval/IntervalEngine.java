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
 *
 * <p>The times passed in come from the wall clock, which can jump in both directions (an NTP step,
 * an RTC that lost its battery and starts in 1970, a manual date change). The engine never reads a
 * boundary twice and never goes back to an earlier one: every boundary it accepts lies strictly
 * after the previous accepted one and after {@code notBefore} (the end of the last stored record,
 * so this holds across restarts). Closed intervals therefore start strictly later than each other
 * and never before the previous record ended: no overlap, no second record for one interval. A
 * clock that goes back behind the open interval's start abandons that interval, since its start
 * read can no longer be placed in time. A jump forward leaves boundaries unread; the engine never
 * fills them in, so the next record follows a gap (docs/architecture.md, "Clock").
 */
public final class IntervalEngine {
    private final IntervalSchedule schedule;
    private final Duration maxLateness;
    /**
     * The latest boundary read that was accepted, or the end of the last stored record: boundaries
     * at or before it are refused. Only moves forward.
     */
    private Instant lastBoundary;

    private Instant openStart;
    private MeterSnapshot openSnapshot;
    private SampleExtremes extremes;

    /**
     * @param maxLateness how long after a boundary a read still counts as that boundary's read;
     *     at most half the interval
     */
    public IntervalEngine(IntervalSchedule schedule, Duration maxLateness) {
        this(schedule, maxLateness, null);
    }

    /**
     * @param notBefore end of the last interval already recorded (from the outbox's chain state),
     *     or null before the first record: no interval will start before it, and its boundary is
     *     not read again, whatever the clock says after a restart
     */
    public IntervalEngine(IntervalSchedule schedule, Duration maxLateness, Instant notBefore) {
        Duration half = schedule.length().dividedBy(2);
        if (maxLateness.isNegative() || maxLateness.compareTo(half) > 0) {
            throw new IllegalArgumentException("max lateness: expected 0 .. " + half + ", got " + maxLateness);
        }
        this.schedule = schedule;
        this.maxLateness = maxLateness;
        this.lastBoundary = notBefore != null ? notBefore : Instant.MIN;
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
        if (!boundary.isAfter(lastBoundary)) {
            // The clock went back: this boundary was read before (it may have closed a record), or
            // lies before one that was. Reading it again would sign a second record for an interval,
            // or one overlapping the last; the open interval, if any, began after this boundary
            // by the clock's earlier account and cannot be placed in time either.
            onBoundaryMissed(boundary);
            return Optional.empty();
        }
        lastBoundary = boundary;
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
        if (openStart != null && readAt.isBefore(openStart)) {
            // The clock went back behind the start of the open interval: whatever it reads at the
            // end boundary, the interval would hold energy from before its start read.
            onBoundaryMissed(openStart);
            return;
        }
        if (openStart != null && schedule.startOf(readAt).equals(openStart)) {
            extremes = extremes.with(snapshot);
        }
    }

    /**
     * The wall clock was stepped while the interval was open (seen on a monotonic counter): its
     * length in real time is not what its stamps say, so it is abandoned like a missed boundary.
     */
    public void onClockStep() {
        onBoundaryMissed(openStart);
    }

    /** The read for {@code boundary} failed or came too late: the open interval cannot be closed. */
    public void onBoundaryMissed(Instant boundary) {
        openStart = null;
        openSnapshot = null;
        extremes = null;
    }
}
