package io.wattproof.agent.record;

import java.time.Instant;
import java.util.HexFormat;

/**
 * Where a device's record chain stands: the sequence number its next record gets, the hash that
 * record must carry as {@code previous_hash}, and the end of the last recorded interval (to flag
 * a time gap). Advanced in the same storage commit as the record that moves it.
 *
 * @param nextSequence ≥ 1
 * @param headHash SHA-256 of the last record's sign-bytes; empty before the first record
 * @param lastIntervalEnd end of the last recorded interval; null before the first record
 */
public record ChainState(long nextSequence, byte[] headHash, Instant lastIntervalEnd) {
    public static final ChainState GENESIS = new ChainState(1, new byte[0], null);

    public ChainState {
        if (nextSequence < 1) {
            throw new IllegalArgumentException("next sequence: expected ≥ 1, got " + nextSequence);
        }
        if (headHash.length != 0 && headHash.length != 32) {
            throw new IllegalArgumentException("head hash: expected 0 or 32 bytes, got " + headHash.length);
        }
        headHash = headHash.clone();
    }

    @Override
    public byte[] headHash() {
        return headHash.clone();
    }

    public ChainState advance(SignedRecord record) {
        if (record.sequence() != nextSequence) {
            throw new IllegalStateException("record sequence: expected " + nextSequence + ", got " + record.sequence());
        }
        return new ChainState(nextSequence + 1, record.recordHash(), record.intervalEnd());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainState c
                && nextSequence == c.nextSequence
                && java.util.Arrays.equals(headHash, c.headHash)
                && java.util.Objects.equals(lastIntervalEnd, c.lastIntervalEnd);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextSequence) * 31 + java.util.Arrays.hashCode(headHash);
    }

    @Override
    public String toString() {
        return "ChainState[nextSequence=" + nextSequence + ", headHash=" + HexFormat.of().formatHex(headHash)
                + ", lastIntervalEnd=" + lastIntervalEnd + "]";
    }
}
