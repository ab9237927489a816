package io.wattproof.lightclient.tx;

import io.wattproof.lightclient.types.Bytes;
import io.wattproof.lightclient.types.ExecResult;

/** Whether a transaction's result is proven by a verified header, and if not, which check failed with its values. */
public sealed interface ResultVerdict {
    /** Why the proof was refused, in words with the failing values; empty when it verified. */
    String describe();

    /** The result is leaf {@code index} of the tree whose root is the header's {@code last_results_hash}. */
    record Verified(ExecResult result) implements ResultVerdict {
        public String describe() {
            return "";
        }
    }

    /** The header is not the one after the transaction's block: {@code last_results_hash} of h+1 covers block h. */
    record HeightMismatch(long expected, long actual) implements ResultVerdict {
        public String describe() {
            return "header height: expected " + expected + " (the block after the transaction's), got " + actual;
        }
    }

    /** The proof is for another leaf than the transaction's index in its block. */
    record IndexMismatch(long txIndex, long proofIndex) implements ResultVerdict {
        public String describe() {
            return "the transaction is at index " + txIndex + " but the result proof is for leaf " + proofIndex;
        }
    }

    /** crypto/merkle computeHashFromAunts: 0 <= index < total, and total >= 1. */
    record IndexOutOfRange(long index, long total) implements ResultVerdict {
        public String describe() {
            return "result proof index " + index + " is outside a tree of " + total + " results";
        }
    }

    /** The number of aunts must be the depth of leaf {@code index} in a tree of {@code total} leaves. */
    record AuntCountMismatch(long index, long total, int expected, int actual) implements ResultVerdict {
        public String describe() {
            return "leaf " + index + " of " + total + " needs " + expected + " aunts, the result proof has " + actual;
        }
    }

    /** The proof's leaf hash is not SHA-256(0x00 || result) of the result it carries. */
    record LeafHashMismatch(Bytes expected, Bytes actual) implements ResultVerdict {
        public String describe() {
            return "result leaf hash: expected " + expected.hex() + " (from the result), got " + actual.hex();
        }
    }

    /** The root recomputed from the result and aunts is not the verified header's {@code last_results_hash}. */
    record RootMismatch(long height, Bytes computed, Bytes lastResultsHash) implements ResultVerdict {
        public String describe() {
            return "result proof leads to " + computed.hex() + ", not to the last results hash " + lastResultsHash.hex()
                    + " of the header at height " + height;
        }
    }

    /** The proven bytes are not an {@code ExecTxResult}: a node never commits such a leaf, so the proof cannot hold. */
    record MalformedResult(String reason) implements ResultVerdict {
        public String describe() {
            return "result: not an ExecTxResult: " + reason;
        }
    }
}
