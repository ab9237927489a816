package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.Header;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Verifies transaction inclusion proofs as CometBFT does (types/tx.go {@code TxProof.Validate},
 * crypto/merkle/proof.go {@code Proof.Verify}). Pure: bytes in, a {@link TxVerdict} out; never
 * throws on any input. The checks run in this order and the first failure decides: index in range,
 * number of aunts, leaf hash, recomputed root = {@code root_hash}, {@code root_hash} = the header's
 * {@code data_hash}.
 */
public final class TxInclusion {
    private TxInclusion() {}

    /** The proof is internally consistent: it leads from its transaction to its own root hash. */
    public static TxVerdict verify(TxProof proof) {
        if (proof.total() < 1 || proof.index() < 0 || proof.index() >= proof.total()) {
            return new TxVerdict.IndexOutOfRange(proof.index(), proof.total());
        }
        int expected = MerkleTree.auntCount(proof.index(), proof.total());
        if (proof.aunts().size() != expected) {
            return new TxVerdict.AuntCountMismatch(proof.index(), proof.total(), expected, proof.aunts().size());
        }
        Bytes leaf = Bytes.of(MerkleTree.leafHash(txHash(proof.data()).toArray()));
        if (!leaf.equals(proof.leafHash())) {
            return new TxVerdict.LeafHashMismatch(leaf, proof.leafHash());
        }
        List<byte[]> aunts = new ArrayList<>(proof.aunts().size());
        for (Bytes a : proof.aunts()) {
            aunts.add(a.toArray());
        }
        Bytes root = Bytes.of(MerkleTree.rootFromAunts(proof.index(), proof.total(), leaf.toArray(), aunts));
        if (!root.equals(proof.rootHash())) {
            return new TxVerdict.RootMismatch(root, proof.rootHash());
        }
        return new TxVerdict.Verified();
    }

    /** The proof is consistent and its root is the {@code data_hash} of {@code header}. */
    public static TxVerdict verify(TxProof proof, Header header) {
        TxVerdict v = verify(proof);
        if (!v.isVerified()) {
            return v;
        }
        if (!proof.rootHash().equals(header.dataHash())) {
            return new TxVerdict.DataHashMismatch(header.height(), proof.rootHash(), header.dataHash());
        }
        return v;
    }

    /**
     * A transaction from the RPC: its hash is SHA-256 of its bytes, it carries a proof for those bytes
     * at its own index, and that proof verifies.
     */
    public static TxVerdict verify(IndexedTx tx) {
        Bytes hash = txHash(tx.tx());
        if (!hash.equals(tx.hash())) {
            return new TxVerdict.TxHashMismatch(hash, tx.hash());
        }
        if (tx.proof().isEmpty()) {
            return new TxVerdict.MissingProof();
        }
        TxProof proof = tx.proof().get();
        if (!proof.data().equals(tx.tx())) {
            return new TxVerdict.ProofDataMismatch(tx.tx(), proof.data());
        }
        if (proof.index() != tx.index()) {
            return new TxVerdict.ProofIndexMismatch(tx.index(), proof.index());
        }
        return verify(proof);
    }

    /** {@link #verify(IndexedTx)}, and the header is for the transaction's block and holds its root. */
    public static TxVerdict verify(IndexedTx tx, Header header) {
        if (tx.height() != header.height()) {
            return new TxVerdict.HeightMismatch(tx.height(), header.height());
        }
        TxVerdict v = verify(tx);
        if (!v.isVerified()) {
            return v;
        }
        Bytes root = tx.proof().orElseThrow().rootHash();
        return root.equals(header.dataHash()) ? v : new TxVerdict.DataHashMismatch(header.height(), root, header.dataHash());
    }

    /** types/tx.go {@code Tx.Hash}: SHA-256 of the transaction's bytes (tmhash). */
    public static Bytes txHash(Bytes tx) {
        try {
            return Bytes.of(MessageDigest.getInstance("SHA-256").digest(tx.toArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
