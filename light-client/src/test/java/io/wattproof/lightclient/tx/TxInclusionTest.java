package io.wattproof.lightclient.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.lightclient.encoding.MerkleTree;
import io.wattproof.lightclient.types.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proofs built by our own tree ({@link MerkleTree#aunts}) for random transaction lists verify at
 * every index, and any one changed byte or index is refused with the check that caught it.
 */
class TxInclusionTest {

    /** A block's transactions, distinct so that no two leaves hash alike. */
    private static List<Bytes> txs(Random r, int n) {
        Set<Bytes> seen = new HashSet<>();
        List<Bytes> out = new ArrayList<>();
        while (out.size() < n) {
            byte[] b = new byte[r.nextInt(65)];
            r.nextBytes(b);
            if (seen.add(Bytes.of(b))) {
                out.add(Bytes.of(b));
            }
        }
        return out;
    }

    private static List<byte[]> leaves(List<Bytes> txs) {
        List<byte[]> out = new ArrayList<>();
        for (Bytes t : txs) {
            out.add(TxInclusion.txHash(t).toArray());
        }
        return out;
    }

    /** What CometBFT's {@code Txs.Proof(i)} returns: root over the tx hashes, the tx, its leaf hash and aunts. */
    static TxProof proof(List<Bytes> txs, int index) {
        List<byte[]> leaves = leaves(txs);
        List<Bytes> aunts = new ArrayList<>();
        for (byte[] a : MerkleTree.aunts(leaves, index)) {
            aunts.add(Bytes.of(a));
        }
        return new TxProof(Bytes.of(MerkleTree.root(leaves)), txs.get(index), txs.size(), index,
                Bytes.of(MerkleTree.leafHash(leaves.get(index))), aunts);
    }

    @Test
    void everyProofOfEveryListFromOneToAHundredTransactionsVerifies() {
        Random r = new Random(1);
        for (int n = 1; n <= 100; n++) {
            List<Bytes> txs = txs(r, n);
            for (int i = 0; i < n; i++) {
                TxProof p = proof(txs, i);
                assertEquals(MerkleTree.auntCount(i, n), p.aunts().size());
                TxVerdict v = TxInclusion.verify(p);
                assertTrue(v.isVerified(), n + " txs, index " + i + ": " + v.describe());
            }
        }
    }

    @Test
    void auntCountFollowsTheSplitRule() {
        // 5 leaves split 4 | 1: the four on the left are 3 deep, the last one 1 deep.
        assertEquals(List.of(3, 3, 3, 3, 1), List.of(MerkleTree.auntCount(0, 5), MerkleTree.auntCount(1, 5),
                MerkleTree.auntCount(2, 5), MerkleTree.auntCount(3, 5), MerkleTree.auntCount(4, 5)));
        assertEquals(0, MerkleTree.auntCount(0, 1));
        assertEquals(63, MerkleTree.auntCount(0, Long.MAX_VALUE));
    }

    @Test
    void anyChangedByteIsRefusedByTheCheckThatCoversIt() {
        Random r = new Random(2);
        for (int n = 1; n <= 100; n++) {
            List<Bytes> txs = txs(r, n);
            int i = r.nextInt(n);
            TxProof p = proof(txs, i);
            for (int b = 0; b < p.data().length(); b++) {
                TxProof changed = new TxProof(p.rootHash(), flip(p.data(), b, r), p.total(), p.index(), p.leafHash(), p.aunts());
                assertInstanceOf(TxVerdict.LeafHashMismatch.class, TxInclusion.verify(changed), "data byte " + b);
            }
            for (int b = 0; b < 32; b++) {
                TxProof leaf = new TxProof(p.rootHash(), p.data(), p.total(), p.index(), flip(p.leafHash(), b, r), p.aunts());
                assertInstanceOf(TxVerdict.LeafHashMismatch.class, TxInclusion.verify(leaf), "leaf byte " + b);
                TxProof root = new TxProof(flip(p.rootHash(), b, r), p.data(), p.total(), p.index(), p.leafHash(), p.aunts());
                assertInstanceOf(TxVerdict.RootMismatch.class, TxInclusion.verify(root), "root byte " + b);
                for (int a = 0; a < p.aunts().size(); a++) {
                    List<Bytes> aunts = new ArrayList<>(p.aunts());
                    aunts.set(a, flip(aunts.get(a), b, r));
                    TxProof aunt = new TxProof(p.rootHash(), p.data(), p.total(), p.index(), p.leafHash(), aunts);
                    assertInstanceOf(TxVerdict.RootMismatch.class, TxInclusion.verify(aunt), "aunt " + a + " byte " + b);
                }
            }
            // Another leaf's position: a path of another length or through other sides.
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                TxProof moved = new TxProof(p.rootHash(), p.data(), p.total(), j, p.leafHash(), p.aunts());
                TxVerdict v = TxInclusion.verify(moved);
                assertTrue(v instanceof TxVerdict.RootMismatch || v instanceof TxVerdict.AuntCountMismatch,
                        n + " txs, " + i + " moved to " + j + ": " + v);
            }
        }
    }

    @Test
    void indexOutsideTheTreeAndWrongAuntCountAreNamed() {
        List<Bytes> txs = txs(new Random(3), 6);
        TxProof p = proof(txs, 5);
        assertEquals(new TxVerdict.IndexOutOfRange(6, 6), TxInclusion.verify(withIndex(p, 6)));
        assertEquals(new TxVerdict.IndexOutOfRange(-1, 6), TxInclusion.verify(withIndex(p, -1)));
        assertEquals(new TxVerdict.IndexOutOfRange(0, 0),
                TxInclusion.verify(new TxProof(p.rootHash(), p.data(), 0, 0, p.leafHash(), List.of())));
        List<Bytes> more = new ArrayList<>(p.aunts());
        more.add(p.rootHash());
        assertEquals(new TxVerdict.AuntCountMismatch(5, 6, 2, 3),
                TxInclusion.verify(new TxProof(p.rootHash(), p.data(), 6, 5, p.leafHash(), more)));
        assertEquals(new TxVerdict.AuntCountMismatch(5, 6, 2, 1),
                TxInclusion.verify(new TxProof(p.rootHash(), p.data(), 6, 5, p.leafHash(), more.subList(0, 1))));
    }

    @Test
    void indexedTxChecksHashDataIndexAndHeaderHeight() {
        List<Bytes> txs = txs(new Random(4), 9);
        TxProof p = proof(txs, 4);
        Bytes tx = txs.get(4);
        IndexedTx ok = new IndexedTx(TxInclusion.txHash(tx), 12, 4, tx, Optional.of(p));
        assertTrue(TxInclusion.verify(ok).isVerified());
        assertInstanceOf(TxVerdict.TxHashMismatch.class,
                TxInclusion.verify(new IndexedTx(flip(ok.hash(), 0, new Random()), 12, 4, tx, Optional.of(p))));
        assertEquals(new TxVerdict.MissingProof(), TxInclusion.verify(new IndexedTx(ok.hash(), 12, 4, tx, Optional.empty())));
        assertEquals(new TxVerdict.ProofIndexMismatch(3, 4),
                TxInclusion.verify(new IndexedTx(ok.hash(), 12, 3, tx, Optional.of(p))));
        Bytes other = txs.get(5);
        assertInstanceOf(TxVerdict.ProofDataMismatch.class,
                TxInclusion.verify(new IndexedTx(TxInclusion.txHash(other), 12, 4, other, Optional.of(p))));
    }

    private static TxProof withIndex(TxProof p, long index) {
        return new TxProof(p.rootHash(), p.data(), p.total(), index, p.leafHash(), p.aunts());
    }

    private static Bytes flip(Bytes b, int index, Random r) {
        return b.withFlipped(index, 1 << r.nextInt(8));
    }
}
