package io.wattproof.agent.record;

import java.time.Instant;

/**
 * A record as it is stored and sent: the serialized {@code SignedTx}, with the facts the outbox
 * needs without parsing it again.
 *
 * @param sequence the record's sequence number
 * @param signedTx serialized {@code wattproof.v1.SignedTx}, the MQTT payload
 * @param recordHash SHA-256 of the record's sign-bytes, the next record's previous_hash
 * @param intervalEnd end of the interval the record covers
 */
public record SignedRecord(long sequence, byte[] signedTx, byte[] recordHash, Instant intervalEnd) {
    public SignedRecord {
        signedTx = signedTx.clone();
        recordHash = recordHash.clone();
    }

    @Override
    public byte[] signedTx() {
        return signedTx.clone();
    }

    @Override
    public byte[] recordHash() {
        return recordHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedRecord r
                && sequence == r.sequence
                && java.util.Arrays.equals(signedTx, r.signedTx)
                && java.util.Arrays.equals(recordHash, r.recordHash)
                && intervalEnd.equals(r.intervalEnd);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + java.util.Arrays.hashCode(recordHash);
    }

    @Override
    public String toString() {
        return "SignedRecord[sequence=" + sequence + ", bytes=" + signedTx.length + ", intervalEnd=" + intervalEnd + "]";
    }
}
