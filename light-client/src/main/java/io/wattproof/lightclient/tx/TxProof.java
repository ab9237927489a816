package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.types.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * CometBFT's {@code types.TxProof}: the Merkle root of a block's transactions, one transaction
 * ({@code data}) and the proof that it is leaf {@code index} of {@code total}
 * (crypto/merkle {@code Proof}). The leaves of that tree are the transactions' SHA-256 hashes
 * ({@code Tx.Hash}), so {@code leafHash} is SHA-256(0x00 || SHA-256(tx)). {@code total} and
 * {@code index} are int64 in CometBFT and are kept as read, so that out-of-range values can be
 * reported rather than lost.
 */
public record TxProof(Bytes rootHash, Bytes data, long total, long index, Bytes leafHash, List<Bytes> aunts) {
    public TxProof {
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(leafHash, "leafHash");
        aunts = List.copyOf(aunts);
    }
}
