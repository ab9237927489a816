package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.types.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * A transaction as the RPC's {@code /tx} and {@code /tx_search} return it ({@code ResultTx}):
 * its hash (SHA-256 of the bytes), the block height, its position in the block, the bytes, and the
 * inclusion proof when the query asked for one ({@code prove=true}). Nothing in it is trusted.
 */
public record IndexedTx(Bytes hash, long height, long index, Bytes tx, Optional<TxProof> proof) {
    public IndexedTx {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(tx, "tx");
        proof = Objects.requireNonNullElse(proof, Optional.empty());
    }
}
