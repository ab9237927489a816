package io.wattproof.agent.outbox;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.util.List;

/**
 * Durable store of a device's signed records and of its chain state. A record is stored before it
 * is sent, and stored together with the chain state it advances: after a crash at any instant the
 * store holds either both or neither, so a sequence number is never reused and no stored record is
 * lost.
 *
 * <p>Not thread-safe: the agent calls it from its one worker thread.
 */
public interface Outbox extends AutoCloseable {

    /** The chain state after the last appended record ({@link ChainState#GENESIS} when empty). */
    ChainState chainState();

    /**
     * Stores {@code record} and advances the chain state in one durable step.
     *
     * @throws IllegalStateException when the record's sequence is not the expected next one
     */
    void append(SignedRecord record) throws OutboxException;

    /** The first {@code limit} records the broker has not acknowledged yet, in sequence order. */
    List<SignedRecord> unacknowledged(int limit) throws OutboxException;

    /** Every record the broker has not acknowledged yet, in sequence order. */
    default List<SignedRecord> unacknowledged() throws OutboxException {
        return unacknowledged(Integer.MAX_VALUE);
    }

    /**
     * Marks a record as accepted by the broker. Becomes durable with the next {@link #append} or
     * {@link #close}; losing it in a crash only means the record is sent again, which receivers
     * recognise as a duplicate.
     */
    void markAcknowledged(long sequence) throws OutboxException;

    /** Number of records not yet acknowledged. */
    int depth();

    /** Bytes the outbox occupies in its storage, to hold it to a disk budget. */
    long sizeBytes();

    @Override
    void close() throws OutboxException;
}
