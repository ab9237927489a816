package io.wattproof.agent;

import io.wattproof.agent.ledger.LedgerCounters;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 * @param lastTickAt when the metering loop last ran, read or not: a loop that stopped running
 *     is what the service watchdog must notice
 * @param lastReadAt when the meter was last read successfully
 * @param storageFault whether the last record could not be stored (disk error); the interval was
 *     not recorded and the next record carries GAP
 * @param clockSynchronised whether the clock sync source said the clock was synchronised at the
 *     last tick (true before the first); while false, records carry CLOCK_UNSYNCED
 *     (docs/architecture.md, "Clock")
 * @param outboxBytes what the outbox occupies on disk, against its budget
 * @param ledger what the ledger follower has seen (docs/ledger.md); empty when the agent does not
 *     follow the ledger
 * @param unconfirmed records acknowledged by the broker whose receipt has not been verified yet (0
 *     when the agent is not set to follow the ledger; counted from the first status on when it is)
 */
public record AgentStatus(
        String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures, boolean meterFault,
        boolean storageFull, Optional<Instant> lastTickAt, Optional<Instant> lastReadAt, boolean storageFault,
        boolean clockSynchronised, long outboxBytes, Optional<LedgerCounters> ledger, int unconfirmed) {

    public AgentStatus {
        Objects.requireNonNull(lastTickAt, "last tick at");
        Objects.requireNonNull(lastReadAt, "last read at");
        Objects.requireNonNull(ledger, "ledger");
    }

    /** A status of an agent that does not follow the ledger. */
    public AgentStatus(String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures,
            boolean meterFault, boolean storageFull, Optional<Instant> lastTickAt, Optional<Instant> lastReadAt, boolean storageFault,
            boolean clockSynchronised, long outboxBytes) {
        this(deviceId, lastSequence, outboxDepth, connected, meterReadFailures, meterFault, storageFull, lastTickAt, lastReadAt,
                storageFault, clockSynchronised, outboxBytes, Optional.empty(), 0);
    }

    /** A status of an agent whose clock is synchronised, with no tick or read times. */
    public AgentStatus(String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures,
            boolean meterFault, boolean storageFull) {
        this(deviceId, lastSequence, outboxDepth, connected, meterReadFailures, meterFault, storageFull, true);
    }

    /** A status with no tick or read times. */
    public AgentStatus(String deviceId, long lastSequence, int outboxDepth, boolean connected, long meterReadFailures,
            boolean meterFault, boolean storageFull, boolean clockSynchronised) {
        this(deviceId, lastSequence, outboxDepth, connected, meterReadFailures, meterFault, storageFull, Optional.empty(),
                Optional.empty(), false, clockSynchronised, 0);
    }
}
