package io.wattproof.agent;

/**
 * A snapshot of an agent for dashboards and tests.
 *
 * @param deviceId hex device id
 * @param lastSequence sequence of the last record stored (0 before the first)
 * @param outboxDepth records not yet acknowledged by the broker
 * @param connected whether the uplink is connected
 * @param meterReadFailures meter reads that failed since start
 * @param meterFault whether the last meter read failed
 * @param storageFull whether the outbox has reached its disk budget, so intervals are not being
 *     recorded (docs/architecture.md, "When the disk budget is reached")
 * @param clockSynchronised whether the clock sync source said the clock was synchronised at the
 *     last tick (true before the first); while false, records carry CLOCK_UNSYNCED
 *     (docs/architecture.md, "Clock")
 */
public record AgentStatus(
        String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures, boolean meterFault,
        boolean storageFull, boolean clockSynchronised) {

    /** A status of an agent whose clock is synchronised. */
    public AgentStatus(String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures,
            boolean meterFault, boolean storageFull) {
        this(deviceId, lastSequence, outboxDepth, connected, meterReadFailures, meterFault, storageFull, true);
    }
}
