package io.wattproof.simulator.ledger;

import java.time.Instant;
import java.util.List;

/** A block once its commit is signed: its height, time and transactions with results and proofs. */
public record CommittedBlock(long height, Instant time, List<IncludedTx> txs) {
    public CommittedBlock {
        txs = List.copyOf(txs);
    }
}
