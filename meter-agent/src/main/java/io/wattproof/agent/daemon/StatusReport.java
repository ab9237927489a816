package io.wattproof.agent.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * What the running agent tells a technician, as written to {@code status.json} in the data
 * folder and printed by {@code meter-agent status --json} (docs/daemon.md). Times are RFC 3339
 * UTC; absent values are null. Field names are the JSON names.
 *
 * <p>{@code ledger.verified_chain_height} is the highest ledger height the agent has verified itself
 * (or trusts from its anchor); null while the agent does not follow the ledger.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public record StatusReport(
        String schema,
        String writtenAt,
        long pid,
        String startedAt,
        String version,
        String deviceId,
        String board,
        String location,
        Meter meter,
        Records records,
        Outbox outbox,
        Broker broker,
        Ledger ledger,
        List<String> alarms) {

    public static final String SCHEMA = "wattproof-agent-status/1";

    public StatusReport {
        Objects.requireNonNull(schema, "schema");
        alarms = List.copyOf(alarms);
    }

    /** @param description what is read and how, e.g. "SDM630 unit 1 on /dev/ttyS0 9600 8N1" */
    public record Meter(String description, String lastReadAt, String lastTickAt, long readFailures, boolean fault) {}

    /** @param lastSequence sequence of the last record stored, 0 before the first */
    public record Records(long lastSequence, long intervalSeconds, String chainId) {}

    public record Outbox(int depth, long bytes, long budgetBytes, boolean full, boolean storageFault) {}

    public record Broker(String uri, boolean connected) {}

    /**
     * The ledger follower's counters (docs/ledger.md, "What the agent does") are null when the
     * agent does not follow the ledger.
     *
     * @param unconfirmed records acknowledged by the broker, their receipt not verified yet
     * @param confirmed records made final since the agent started
     * @param forgeriesDetected blocks and receipts from the gateway that failed verification since start
     * @param refusedByLedger receipts refusing a record since start
     * @param resubmissions records sent again for want of a verified receipt since start
     */
    public record Ledger(String chainId, Long verifiedChainHeight, String trustAnchor, Integer unconfirmed, Long confirmed,
            Long forgeriesDetected, Long refusedByLedger, Long resubmissions) {
        /** An agent that does not follow the ledger. */
        public Ledger(String chainId, Long verifiedChainHeight, String trustAnchor) {
            this(chainId, verifiedChainHeight, trustAnchor, null, null, null, null, null);
        }
    }
}
