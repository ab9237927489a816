package io.wattproof.simulator.ledger;

import io.wattproof.lightclient.tx.ResultProof;
import io.wattproof.lightclient.tx.TxProof;
import java.util.Objects;

/**
 * A transaction in a committed block, with its result and its inclusion proof against the block's
 * {@code data_hash} (what CometBFT's {@code /tx?prove=true} returns), and the proof of its result
 * against the {@code last_results_hash} of the block after it (built from all of the block's
 * results, {@code BlockHashes.resultProofs}; no CometBFT RPC returns one).
 *
 * @param hash SHA-256 of {@code tx}
 * @param resultProof leaf {@code index} of the block's results tree; its result bytes are {@code
 *     result}'s deterministic fields
 */
public record IncludedTx(long height, int index, byte[] tx, byte[] hash, TxResult result, TxProof proof, ResultProof resultProof) {
    public IncludedTx {
        tx = tx.clone();
        hash = hash.clone();
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(resultProof, "resultProof");
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
