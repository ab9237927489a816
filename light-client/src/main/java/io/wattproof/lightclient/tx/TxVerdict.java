package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.types.Bytes;

/** Whether a transaction is proven to be in a block, and if not, which check failed with its values. */
public sealed interface TxVerdict {
    /** Why the proof was refused, in words with the failing values; empty when it verified. */
    String describe();

    default boolean isVerified() {
        return this instanceof Verified;
    }

    /** The proof leads from the transaction to the root hash (and to the header's data hash when one was given). */
    record Verified() implements TxVerdict {
        public String describe() {
            return "";
        }
    }

    /** crypto/merkle computeHashFromAunts: 0 <= index < total, and total >= 1. */
    record IndexOutOfRange(long index, long total) implements TxVerdict {
        public String describe() {
            return "proof index " + index + " is outside a tree of " + total + " transactions";
        }
    }

    /** The number of aunts must be the depth of leaf {@code index} in a tree of {@code total} leaves. */
    record AuntCountMismatch(long index, long total, int expected, int actual) implements TxVerdict {
        public String describe() {
            return "leaf " + index + " of " + total + " needs " + expected + " aunts, the proof has " + actual;
        }
    }

    /** The proof's leaf hash is not SHA-256(0x00 || SHA-256(tx)) of the transaction it carries. */
    record LeafHashMismatch(Bytes expected, Bytes actual) implements TxVerdict {
        public String describe() {
            return "leaf hash: expected " + expected.hex() + " (from the transaction), got " + actual.hex();
        }
    }

    /** The root recomputed from leaf and aunts is not the proof's root hash. */
    record RootMismatch(Bytes computed, Bytes rootHash) implements TxVerdict {
        public String describe() {
            return "root hash: the proof leads to " + computed.hex() + " but claims " + rootHash.hex();
        }
    }

    /** The proof's root is not the header's {@code data_hash}: it proves inclusion in some other block. */
    record DataHashMismatch(long height, Bytes rootHash, Bytes dataHash) implements TxVerdict {
        public String describe() {
            return "root hash " + rootHash.hex() + " is not the data hash " + dataHash.hex() + " of the header at height " + height;
        }
    }

    /** The response's {@code hash} is not SHA-256 of its {@code tx}. */
    record TxHashMismatch(Bytes expected, Bytes actual) implements TxVerdict {
        public String describe() {
            return "hash: expected " + expected.hex() + " (SHA-256 of the tx), got " + actual.hex();
        }
    }

    /** The proof is for other bytes than the response's {@code tx}. */
    record ProofDataMismatch(Bytes tx, Bytes proofData) implements TxVerdict {
        public String describe() {
            return "proof.data is not the transaction: " + abbreviate(proofData) + " instead of " + abbreviate(tx);
        }
    }

    /** The response's {@code index} (position in the block) is not the proof's leaf index. */
    record ProofIndexMismatch(long txIndex, long proofIndex) implements TxVerdict {
        public String describe() {
            return "the transaction is at index " + txIndex + " but the proof is for leaf " + proofIndex;
        }
    }

    /** The response carries no proof (the query was made without {@code prove=true}). */
    record MissingProof() implements TxVerdict {
        public String describe() {
            return "no proof in the response (query with prove=true)";
        }
    }

    /** The header given to check against is for another height than the transaction's block. */
    record HeightMismatch(long txHeight, long headerHeight) implements TxVerdict {
        public String describe() {
            return "the transaction is in block " + txHeight + " but the header is for height " + headerHeight;
        }
    }

    private static String abbreviate(Bytes b) {
        String hex = b.hex();
        return hex.length() > 40 ? hex.substring(0, 37) + "... (" + b.length() + " bytes)" : hex;
    }
}
