package io.wattproof.agent.outbox;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/** An outbox in memory, for tests and for the contract test of the durable one. */
public final class MemoryOutbox implements Outbox {
    /** Not acknowledged. */
    private final NavigableMap<Long, SignedRecord> pending = new TreeMap<>();
    /** Acknowledged, not final. */
    private final NavigableMap<Long, SignedRecord> unconfirmed = new TreeMap<>();
    /** Final, not pruned. */
    private final NavigableMap<Long, SignedRecord> finals = new TreeMap<>();
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
        SignedRecord r = pending.remove(sequence);
        if (r != null) {
            unconfirmed.put(sequence, r);
        }
    }

    @Override
    public int depth() {
        return pending.size();
    }

    @Override
    public void markFinal(Collection<Long> sequences) {
        for (long seq : sequences) {
            SignedRecord r = pending.remove(seq);
            if (r == null) {
                r = unconfirmed.remove(seq);
            }
            if (r != null) {
                finals.put(seq, r);
            }
        }
    }

    @Override
    public List<SignedRecord> unconfirmed(int limit) {
        return unconfirmed.values().stream().limit(limit).toList();
    }

    @Override
    public int unconfirmedCount() {
        return unconfirmed.size();
    }

    @Override
    public int prunable() {
        return finals.size();
    }

    @Override
    public int prune() {
        int n = finals.size();
        finals.clear();
        return n;
    }

    /** What the file outbox would take for the records held (41 bytes of framing and index each). */
    @Override
    public long sizeBytes() {
        return java.util.stream.Stream.of(pending, unconfirmed, finals)
                .flatMap(m -> m.values().stream()).mapToLong(r -> r.signedTx().length + 41L).sum();
    }

    @Override
    public void close() {}
}
