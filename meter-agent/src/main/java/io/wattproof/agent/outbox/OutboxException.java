package io.wattproof.agent.outbox;

/** The outbox could not be opened, read or written. */
public class OutboxException extends Exception {
    public OutboxException(String message) {
        super(message);
    }

    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
