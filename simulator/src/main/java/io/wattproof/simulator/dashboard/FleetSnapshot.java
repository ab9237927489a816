package io.wattproof.simulator.dashboard;

import java.util.List;
import java.util.Objects;

/**
 * A sample with what is derived from the sample before it.
 *
 * @param readingsPerSecond records signed per second since the previous sample (0 for the first)
 * @param confirmationsPerSecond records confirmed by their agents per second since the previous
 *     sample (0 for the first)
 * @param alarms the fleet's alarms: every meter's, prefixed with its serial, then the run's own
 */
public record FleetSnapshot(FleetSample sample, double readingsPerSecond, double confirmationsPerSecond, List<String> alarms) {
    public FleetSnapshot {
        Objects.requireNonNull(sample, "sample");
        alarms = List.copyOf(alarms);
    }
}
