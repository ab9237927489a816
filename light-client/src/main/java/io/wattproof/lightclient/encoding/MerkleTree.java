package io.wattproof.lightclient.encoding;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private static byte[] root(List<byte[]> leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return sha256().digest();
        }
        if (n == 1) {
            MessageDigest d = sha256();
            d.update(LEAF_PREFIX);
            d.update(leaves.get(from));
            return d.digest();
        }
        int split = splitPoint(n);
        byte[] left = root(leaves, from, from + split);
        byte[] right = root(leaves, from + split, to);
        MessageDigest d = sha256();
        d.update(INNER_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The largest power of two strictly smaller than {@code n} (n >= 2). */
    static int splitPoint(int n) {
        int k = Integer.highestOneBit(n);
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
