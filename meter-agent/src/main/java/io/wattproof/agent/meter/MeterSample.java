package io.wattproof.agent.meter;

import java.time.Instant;
import java.util.Objects;

/**
 * One successful read of the meter and when it was taken.
 *
 * @param readAt the agent clock's instant at which the read began
 * @param snapshot what the meter answered
 */
public record MeterSample(Instant readAt, MeterSnapshot snapshot) {
    public MeterSample {
        Objects.requireNonNull(readAt, "read at");
        Objects.requireNonNull(snapshot, "snapshot");
    }
}
