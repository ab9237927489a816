package io.wattproof.agent.ledger;

import io.wattproof.lightclient.types.Bytes;
import java.util.Objects;

/** What a receipt proves about one of the agent's records. */
public sealed interface ReceiptVerdict {

    /** One line for logs, lower case, with the values that decided it. */
    String describe();

    /**
     * The record is in the block at {@code height}, whose header the light client verified: it may
     * be forgotten. {@code alreadyIncluded}: the receipt answered a re-submission.
     */
    record Final(long sequence, long height, boolean alreadyIncluded) implements ReceiptVerdict {
        public String describe() {
            return "record " + sequence + " is in block " + height + (alreadyIncluded ? " (already included)" : "");
        }
    }

    /**
     * The ledger refused the record ({@code code} ≠ OK). Without a result proof nothing about a
     * refusal can be verified; with one, the block holds the transaction and its committed result
     * is this code. Either way the record is kept and sent again later.
     */
    record RefusedByLedger(long sequence, int code, String log) implements ReceiptVerdict {
        public RefusedByLedger {
            Objects.requireNonNull(log, "log");
        }

        public String describe() {
            return "record " + sequence + " refused by the ledger with code " + ReceiptCheck.codeName(code)
                    + (log.isEmpty() ? "" : ": " + log);
        }
    }

    /**
     * The receipt claims inclusion but its proof does not hold against the verified header (or is
     * for other bytes than the stored record): the gateway lied or passed on a lie.
     *
     * @param what the check that failed, e.g. {@code proof.data} or {@code proof.root_hash}
     */
    record Forged(long sequence, long height, String what, String expected, String actual) implements ReceiptVerdict {
        public Forged {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        public String describe() {
            return "receipt for record " + sequence + " at height " + height + " is forged: " + what + ": expected "
                    + expected + ", got " + actual;
        }
    }

    /** The bytes are not a receipt, or a field is out of range. */
    record Malformed(String field, String expected, String actual) implements ReceiptVerdict, ReceiptReading {
        public Malformed {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        public String describe() {
            return "malformed receipt: " + field + ": expected " + expected + ", got " + actual;
        }
    }

    /** The receipt is about a transaction the agent does not hold (pruned already, or never ours). */
    record NotOurs(Bytes txHash) implements ReceiptVerdict {
        public NotOurs {
            Objects.requireNonNull(txHash, "tx hash");
        }

        public String describe() {
            return "receipt for transaction " + txHash.hex() + ", which is not a stored record";
        }
    }
}
