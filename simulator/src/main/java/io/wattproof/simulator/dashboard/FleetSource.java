package io.wattproof.simulator.dashboard;

import io.wattproof.crypto.DeviceId;
import java.time.Instant;
import java.util.Optional;

/** Where the dashboard's numbers come from: a running simulation, or a fixed fleet in tests. */
public interface FleetSource {

    /** The fleet and the chain now; called once a second and on demand, from any thread. */
    FleetSample sample(Instant now);

    /** The drill-down of one meter; empty when {@code device} is not in this fleet. */
    Optional<MeterDetail> meter(DeviceId device);
}
