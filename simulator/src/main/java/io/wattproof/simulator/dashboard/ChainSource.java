package io.wattproof.simulator.dashboard;

import io.wattproof.lightclient.types.LightBlock;
import io.wattproof.simulator.ledger.CommittedBlock;
import io.wattproof.simulator.ledger.chain.ReferenceLedger;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a ledger the drill-down reads: blocks with their transactions and proofs, and the
 * light blocks its light client verifies. Nothing read through it is trusted.
 */
public interface ChainSource {
    String chainId();

    long latestHeight();

    /** The block at {@code height} with its transactions, results and inclusion proofs; empty outside 1..latest. */
    Optional<CommittedBlock> committedBlock(long height);

    /** The light block at {@code height} with the next validator set attached; empty outside 1..latest. */
    Optional<LightBlock> lightBlock(long height);

    static ChainSource of(ReferenceLedger ledger) {
        Objects.requireNonNull(ledger, "ledger");
        return new ChainSource() {
            @Override
            public String chainId() {
                return ledger.chainId();
            }

            @Override
            public long latestHeight() {
                return ledger.latestHeight();
            }

            @Override
            public Optional<CommittedBlock> committedBlock(long height) {
                return ledger.committedBlock(height);
            }

            @Override
            public Optional<LightBlock> lightBlock(long height) {
                return ledger.lightBlock(height);
            }
        };
    }
}
