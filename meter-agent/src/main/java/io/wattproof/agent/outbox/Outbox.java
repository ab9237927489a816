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
     * recognise as a duplicate. A sequence not held (unknown, or final and pruned) or already
     * acknowledged is ignored.
     */
    void markAcknowledged(long sequence) throws OutboxException;

    /** Number of records not yet acknowledged (and not final). */
    int depth();

    /**
     * Marks records as final: the agent verified, itself, that each is in a block signed by the
     * ledger's validators (docs/ledger.md). Durable when this returns, in one write. A final record
     * counts as acknowledged, is never sent again, and may be removed by {@link #prune}. Sequences
     * that are unknown or already final are ignored (marking again after a crash is harmless).
     * If it throws, none of the sequences is final, or (when more ranges than one write holds were
     * given) a prefix of them is.
     */
    void markFinal(java.util.Collection<Long> sequences) throws OutboxException;

    /**
     * The first {@code limit} records the broker acknowledged but that are not final yet, in
     * sequence order: submitted, their receipt still awaited.
     */
    List<SignedRecord> unconfirmed(int limit) throws OutboxException;

    /** Number of records acknowledged but not final. */
    int unconfirmedCount();

    /** Number of final records still held in storage ({@link #prune} removes them). */
    int prunable();

    /**
     * Removes final records from storage, keeping the chain state (next sequence, head hash, last
     * interval end, last import register) and every record that is not final with its
     * acknowledgement. A crash at any instant leaves the outbox as it was before or as it is
     * after; if it throws, the outbox is as it was before (the file outbox may then refuse writes
     * until reopened, see {@code FileOutbox}). Costs what it keeps, not what it removes.
     *
     * @return how many records were removed
     */
    int prune() throws OutboxException;

    /** Bytes the outbox occupies in its storage, to hold it to a disk budget. */
    long sizeBytes();

    @Override
    void close() throws OutboxException;
}
