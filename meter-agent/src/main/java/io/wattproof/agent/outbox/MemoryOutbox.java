package io.wattproof.agent.outbox;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An outbox in memory, for tests and for the contract test of the durable one. */
public final class MemoryOutbox implements Outbox {
    private final NavigableMap<Long, SignedRecord> pending = new TreeMap<>();
    private ChainState chain = ChainState.GENESIS;

    @Override
    public ChainState chainState() {
        return chain;
    }

    @Override
    public void append(SignedRecord record) {
        ChainState next = chain.advance(record);
        pending.put(record.sequence(), record);
        chain = next;
    }

    @Override
    public List<SignedRecord> unacknowledged(int limit) {
        return pending.values().stream().limit(limit).toList();
    }

    @Override
    public void markAcknowledged(long sequence) {
        pending.remove(sequence);
    }

    @Override
    public int depth() {
        return pending.size();
    }

    /** What the file outbox would take for the records held (41 bytes of framing and index each). */
    @Override
    public long sizeBytes() {
        return pending.values().stream().mapToLong(r -> r.signedTx().length + 41L).sum();
    }

    @Override
    public void close() {}
}
