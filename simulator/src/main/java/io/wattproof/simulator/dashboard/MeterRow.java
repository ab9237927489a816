package io.wattproof.simulator.dashboard;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One meter of the fleet as the dashboard shows it at one instant.
 *
 * @param index 1-based position in the fleet, as the run folder names it ({@code meter-001})
 * @param deviceId hex device id (40 characters)
 * @param serial the meter's serial number
 * @param powerW total active power at the agent's newest meter read, W (negative while exporting);
 *     empty before the first read or while the agent is stopped
 * @param readings sequence of the last record the agent signed (0 before the first)
 * @param confirmed records whose inclusion the device's agent verified itself, this run
 * @param outboxDepth records not yet acknowledged by the broker
 * @param unconfirmed records acknowledged but whose receipt is not verified yet
 * @param connected whether the agent's uplink is connected
 * @param ledgerHead highest sequence the ledger accepted for the device (0: none)
 * @param alarms what needs a person's attention, one short lowercase phrase each ({@link Alarms})
 */
public record MeterRow(int index, String deviceId, String serial, Optional<Double> powerW, long readings, long confirmed,
                       int outboxDepth, int unconfirmed, boolean connected, long ledgerHead, List<String> alarms) {
    public MeterRow {
        Objects.requireNonNull(deviceId, "device id");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(powerW, "power");
        alarms = List.copyOf(alarms);
    }
}
