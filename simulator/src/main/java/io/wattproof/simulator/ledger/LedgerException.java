package io.wattproof.simulator.ledger;

/** The ledger could not be reached or answered something that is not a ledger's answer. */
public class LedgerException extends Exception {
    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
