package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.MalformedInputException;
import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.encoding.Protobuf;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Verifies that a transaction's result is the one its block committed. CometBFT executes block h
 * after committing it and puts the Merkle root of the block's deterministic results into the
 * header of h + 1 as {@code last_results_hash} (spec core/data_structures.md, "Header";
 * types/results.go {@code ABCIResults.Hash}; state/execution.go). So the result of the
 * transaction at index i of block h is proven by leaf i of that tree against a verified header
 * h + 1 — and it is the result of <em>that</em> transaction only if i is the index its inclusion
 * proof against header h gave. Pure: never throws on any proof.
 */
public final class ResultInclusion {
    private ResultInclusion() {}

    /**
     * The result of the transaction at {@code txIndex} of block {@code txHeight}, proven against
     * {@code next}, the verified header of {@code txHeight + 1}. The checks run in this order and
     * the first failure decides: header height, leaf index = {@code txIndex}, index in range, number
     * of aunts, leaf hash, recomputed root = {@code last_results_hash}, result bytes decode.
     */
    public static ResultVerdict verify(ResultProof proof, long txHeight, long txIndex, Header next) {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(next, "next header");
        if (next.height() != txHeight + 1) {
            return new ResultVerdict.HeightMismatch(txHeight + 1, next.height());
        }
        if (proof.index() != txIndex) {
            return new ResultVerdict.IndexMismatch(txIndex, proof.index());
        }
        if (proof.total() < 1 || proof.index() < 0 || proof.index() >= proof.total()) {
            return new ResultVerdict.IndexOutOfRange(proof.index(), proof.total());
        }
        int expected = MerkleTree.auntCount(proof.index(), proof.total());
        if (proof.aunts().size() != expected) {
            return new ResultVerdict.AuntCountMismatch(proof.index(), proof.total(), expected, proof.aunts().size());
        }
        // The leaves of the results tree are the result bytes themselves (ABCIResults.toByteSlices).
        Bytes leaf = Bytes.of(MerkleTree.leafHash(proof.result().toArray()));
        if (!leaf.equals(proof.leafHash())) {
            return new ResultVerdict.LeafHashMismatch(leaf, proof.leafHash());
        }
        List<byte[]> aunts = new ArrayList<>(proof.aunts().size());
        for (Bytes a : proof.aunts()) {
            aunts.add(a.toArray());
        }
        Bytes root = Bytes.of(MerkleTree.rootFromAunts(proof.index(), proof.total(), leaf.toArray(), aunts));
        if (!root.equals(next.lastResultsHash())) {
            return new ResultVerdict.RootMismatch(next.height(), root, next.lastResultsHash());
        }
        try {
            return new ResultVerdict.Verified(Protobuf.execTxResult(proof.result().toArray()));
        } catch (MalformedInputException e) {
            return new ResultVerdict.MalformedResult(e.getMessage());
        }
    }
}
