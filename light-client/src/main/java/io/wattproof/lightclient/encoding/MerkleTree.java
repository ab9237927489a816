package io.wattproof.lightclient.encoding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6962 Merkle tree hash CometBFT uses for headers, validator sets and transactions
 * (crypto/merkle/tree.go {@code HashFromByteSlices}): leaves hashed as SHA-256(0x00 || leaf), inner
 * nodes as SHA-256(0x01 || left || right), the list split at the largest power of two smaller than its
 * length, and the empty list hashed to SHA-256 of nothing (RFC 6962 section 2.1).
 */
public final class MerkleTree {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte INNER_PREFIX = 0x01;
    /**
     * Cloned for every node: {@code MessageDigest.getInstance} looks the provider up each time, which
     * cost more than hashing a node (seen in the light client benchmark). Never updated itself.
     */
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private MerkleTree() {}

    public static byte[] root(List<byte[]> leaves) {
        return root(leaves, 0, leaves.size());
    }

    /** RFC 6962 leaf hash: SHA-256(0x00 || leaf). */
    public static byte[] leafHash(byte[] leaf) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leaf);
        return d.digest();
    }

    /** RFC 6962 inner node hash: SHA-256(0x01 || left || right). */
    public static byte[] innerHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update(INNER_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    private static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return sha256().digest();
        }
        if (n == 1) {
            return leafHash(leaves.get(from));
        }
        int split = splitPoint(n);
        return innerHash(root(leaves, from, from + split), root(leaves, from + split, to));
    }

    /**
     * The aunts of leaf {@code index} (crypto/merkle/proof.go {@code ProofsFromByteSlices}): the
     * hashes of the siblings on the path from the leaf up, the leaf's own sibling first and the root's
     * other child last.
     */
    public static List<byte[]> aunts(List<byte[]> leaves, int index) {
        if (index < 0 || index >= leaves.size()) {
            throw new IndexOutOfBoundsException("leaf " + index + " of " + leaves.size());
        }
        List<byte[]> out = new ArrayList<>();
        collectAunts(leaves, 0, leaves.size(), index, out);
        return out;
    }

    private static void collectAunts(List<byte[]> leaves, int from, int to, int index, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int split = splitPoint(n);
        if (index < from + split) {
            collectAunts(leaves, from, from + split, index, out);
            out.add(root(leaves, from + split, to));
        } else {
            collectAunts(leaves, from + split, to, index, out);
            out.add(root(leaves, from, from + split));
        }
    }

    /**
     * How many aunts a proof for leaf {@code index} of a tree of {@code total} leaves has: the depth of
     * that leaf, which under the split rule differs from leaf to leaf when total is not a power of two.
     *
     * @throws IllegalArgumentException unless 0 <= index < total
     */
    public static int auntCount(long index, long total) {
        checkIndex(index, total);
        int depth = 0;
        while (total > 1) {
            long split = splitPoint(total);
            if (index < split) {
                total = split;
            } else {
                index -= split;
                total -= split;
            }
            depth++;
        }
        return depth;
    }

    /**
     * The root a proof leads to (crypto/merkle/proof.go {@code computeHashFromAunts}): walking down from
     * the root, the last aunt is the sibling of the subtree that holds the leaf, on its right when the
     * leaf lies left of the split point and on its left otherwise.
     *
     * @throws IllegalArgumentException unless 0 <= index < total and there are exactly
     *     {@link #auntCount} aunts
     */
    public static byte[] rootFromAunts(long index, long total, byte[] leafHash, List<byte[]> aunts) {
        int expected = auntCount(index, total);
        if (aunts.size() != expected) {
            throw new IllegalArgumentException("leaf " + index + " of " + total + " needs " + expected
                    + " aunts, got " + aunts.size());
        }
        return rootFromAunts(index, total, leafHash, aunts, aunts.size());
    }

    private static byte[] rootFromAunts(long index, long total, byte[] leafHash, List<byte[]> aunts, int count) {
        if (total == 1) {
            return leafHash;
        }
        long split = splitPoint(total);
        byte[] aunt = aunts.get(count - 1);
        if (index < split) {
            return innerHash(rootFromAunts(index, split, leafHash, aunts, count - 1), aunt);
        }
        return innerHash(aunt, rootFromAunts(index - split, total - split, leafHash, aunts, count - 1));
    }

    private static void checkIndex(long index, long total) {
        if (total < 1 || index < 0 || index >= total) {
            throw new IllegalArgumentException("index " + index + " outside a tree of " + total + " leaves");
        }
    }

    /** The largest power of two strictly smaller than {@code n} (n >= 2). */
    static int splitPoint(int n) {
        int k = Integer.highestOneBit(n);
        return k == n ? k >>> 1 : k;
    }

    /** {@link #splitPoint(int)} for trees of up to 2^63 - 1 leaves, as proofs declare their total as an int64. */
    static long splitPoint(long n) {
        long k = Long.highestOneBit(n);
        return k == n ? k >>> 1 : k;
    }

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
