package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.types.Bytes;
import java.util.List;
import java.util.Objects;

/**
 * One transaction's result and the proof that it is leaf {@code index} of {@code total} in the
 * Merkle tree whose root the <em>next</em> block's header carries as {@code last_results_hash}
 * (types/results.go {@code ABCIResults}). The leaves of that tree are the results' protobuf bytes
 * themselves (not their hashes, unlike {@code data_hash}), so {@code leafHash} is
 * SHA-256(0x00 || result). A node serves no such proof: whoever has all of a block's results
 * ({@code /block_results}) builds it, and it needs no trust because the root is in a header the
 * device verifies.
 *
 * @param result {@code tendermint.abci.ExecTxResult} bytes with the deterministic fields only
 */
public record ResultProof(Bytes result, long total, long index, Bytes leafHash, List<Bytes> aunts) {
    public ResultProof {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(leafHash, "leafHash");
        aunts = List.copyOf(aunts);
    }
}
