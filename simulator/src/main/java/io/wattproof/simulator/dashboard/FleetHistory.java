package io.wattproof.simulator.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns successive samples into snapshots: rates from the difference to the previous sample, the
 * fleet's alarms, and a bounded history of fleet power for the chart. Pure (the instants come with
 * the samples); not thread-safe.
 */
public final class FleetHistory {
    /** Ten minutes at one sample a second: the chart's width. */
    public static final int DEFAULT_CAPACITY = 600;

    /** One point of the fleet-power chart: when, and the fleet's total active power in W. */
    public record PowerPoint(Instant at, double powerW) {
        public PowerPoint {
            Objects.requireNonNull(at, "at");
        }
    }

    private final int capacity;
    private final ArrayDeque<PowerPoint> points = new ArrayDeque<>();
    private FleetSample previous;

    public FleetHistory() {
        this(DEFAULT_CAPACITY);
    }

    public FleetHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: expected ≥ 1 points, got " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds {@code sample} and derives its snapshot. A sample not later than the previous one (a clock
     * stepped back) gives rates of 0 rather than a division by zero or a negative rate, and is not
     * added to the chart, whose time axis must increase. A sample in which no meter has been read yet
     * adds no point either.
     */
    public FleetSnapshot add(FleetSample sample) {
        double readingsRate = 0;
        double confirmationsRate = 0;
        boolean later = previous == null || sample.at().isAfter(previous.at());
        if (previous != null && later) {
            double seconds = Duration.between(previous.at(), sample.at()).toNanos() / 1e9;
            readingsRate = Math.max(0, sample.readings() - previous.readings()) / seconds;
            confirmationsRate = Math.max(0, sample.confirmed() - previous.confirmed()) / seconds;
        }
        if (later) {
            // Before any meter has been read the sum is no measurement: a 0 W point would draw a false ramp.
            if (sample.meters().stream().anyMatch(m -> m.powerW().isPresent())) {
                points.addLast(new PowerPoint(sample.at(), sample.fleetPowerW()));
                while (points.size() > capacity) {
                    points.removeFirst();
                }
            }
            previous = sample;
        }
        return new FleetSnapshot(sample, readingsRate, confirmationsRate, Alarms.ofFleet(sample));
    }

    /** The chart's points, oldest first. */
    public List<PowerPoint> points() {
        return new ArrayList<>(points);
    }
}
