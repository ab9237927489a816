package io.wattproof.agent.ledger;

import io.wattproof.lightclient.types.Bytes;
import java.util.Objects;

/**
 * What a receipt proves about a transaction that is no record of the device's chain (a {@code
 * PileOffer} or {@code SessionStart} the device sent, a {@code Booking} of its offer):
 * {@link ReceiptCheck#checkTransaction}. Only {@link Accepted} and {@link Refused} are proven, both
 * by the block's results (docs/ledger.md, "Messages", {@code ResultProof}).
 */
public sealed interface TxReceiptVerdict {

    /** One line for logs, lower case, with the values that decided it. */
    String describe();

    /**
     * The transaction is in the block at {@code height}, whose header the light client verified, and
     * that block accepted it (code 0 in the results the next header commits to). {@code
     * alreadyIncluded}: the receipt answered a re-submission.
     */
    record Accepted(long height, boolean alreadyIncluded) implements TxReceiptVerdict {
        public String describe() {
            return "accepted in block " + height + (alreadyIncluded ? " (already included)" : "");
        }
    }

    /** The transaction is in the block at {@code height} and the block refused it with {@code code}, proven. */
    record Refused(long height, int code, String log) implements TxReceiptVerdict {
        public Refused {
            Objects.requireNonNull(log, "log");
        }

        public String describe() {
            return "refused in block " + height + " with code " + ReceiptCheck.codeName(code) + (log.isEmpty() ? "" : ": " + log);
        }
    }

    /** The receipt carries no result proof: its code (and, for a refusal at CheckTx, everything) is unproven. */
    record Unproven(int code, long height) implements TxReceiptVerdict {
        public String describe() {
            return "receipt with code " + ReceiptCheck.codeName(code) + " at height " + height + " without a result proof";
        }
    }

    /** A proof fails against a verified header: the gateway lied or passed on a lie. */
    record Forged(long height, String what, String expected, String actual) implements TxReceiptVerdict {
        public Forged {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(actual, "actual");
        }

        public String describe() {
            return "receipt at height " + height + " is forged: " + what + ": expected " + expected + ", got " + actual;
        }
    }

    /** The receipt names another transaction than the one checked. */
    record NotOurs(Bytes txHash) implements TxReceiptVerdict {
        public NotOurs {
            Objects.requireNonNull(txHash, "tx hash");
        }

        public String describe() {
            return "receipt for transaction " + txHash.hex() + ", which is not the one checked";
        }
    }
}
