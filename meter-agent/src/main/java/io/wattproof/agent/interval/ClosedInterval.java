package io.wattproof.agent.interval;

import io.wattproof.agent.meter.MeterSnapshot;
import java.time.Instant;

/**
 * One interval the engine has closed: the register snapshots read at its two boundaries and the
 * extremes of every sample taken in between (both boundary snapshots included).
 */
public record ClosedInterval(
        Instant start,
        IntervalSchedule schedule,
        MeterSnapshot atStart,
        MeterSnapshot atEnd,
        SampleExtremes extremes) {

    public Instant end() {
        return start.plusSeconds(schedule.seconds());
    }
}
