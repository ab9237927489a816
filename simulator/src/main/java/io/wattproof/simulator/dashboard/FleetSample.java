package io.wattproof.simulator.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dashboard reads off a running fleet at one instant, before anything is derived from it.
 * Counters count from the start of the run.
 *
 * @param at when the sample was taken (the simulator's clock)
 * @param chainId the ledger's chain id
 * @param height the ledger's latest height
 * @param blockTime the time in the latest block's header; empty before the first block
 * @param blockInterval the header time of the latest block minus that of the block before it;
 *     empty below height 2
 * @param readings records signed by the agents
 * @param confirmed records whose inclusion the agents verified themselves
 * @param verified readings the ledger accepted
 * @param rejected transactions refused by CheckTx at the gateway or in a block
 * @param gaps sequences signed that the ledger does not hold (not arrived yet, or an open gap)
 * @param forgeriesDetected forged headers and proofs the agents detected
 * @param meters every meter, in fleet order
 */
public record FleetSample(Instant at, String chainId, long height, Optional<Instant> blockTime, Optional<Duration> blockInterval,
                          long readings, long confirmed, long verified, long rejected, long gaps, long forgeriesDetected,
                          List<MeterRow> meters) {
    public FleetSample {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(chainId, "chain id");
        Objects.requireNonNull(blockTime, "block time");
        Objects.requireNonNull(blockInterval, "block interval");
        meters = List.copyOf(meters);
    }

    /** The sum of every meter's power; meters without a read yet count as nothing. */
    public double fleetPowerW() {
        return meters.stream().mapToDouble(m -> m.powerW().orElse(0.0)).sum();
    }

    /** Records in the agents' outboxes and awaiting a verified receipt, over the fleet. */
    public long outboxDepth() {
        return meters.stream().mapToLong(m -> (long) m.outboxDepth() + m.unconfirmed()).sum();
    }
}
