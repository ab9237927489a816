package io.wattproof.simulator.ledger;

import io.wattproof.lightclient.tx.TxProof;
import java.util.Objects;

/**
 * A transaction in a committed block, with its result and its inclusion proof against the block's
 * {@code data_hash} (what CometBFT's {@code /tx?prove=true} returns).
 *
 * @param hash SHA-256 of {@code tx}
 */
public record IncludedTx(long height, int index, byte[] tx, byte[] hash, TxResult result, TxProof proof) {
    public IncludedTx {
        tx = tx.clone();
        hash = hash.clone();
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(proof, "proof");
    }

    @Override
    public byte[] tx() {
        return tx.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }
}
