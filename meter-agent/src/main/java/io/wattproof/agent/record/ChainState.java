package io.wattproof.agent.record;

import com.google.protobuf.InvalidProtocolBufferException;
import io.wattproof.protocol.v1.BodyType;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.protocol.v1.SignedTx;
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
 * @param lastImportWh the import register of the last record, Wh; 0 before the first. An S0
 *     pulse counter, which forgets everything at a restart, continues its register from here.
 */
public record ChainState(long nextSequence, byte[] headHash, Instant lastIntervalEnd, long lastImportWh) {
    public static final ChainState GENESIS = new ChainState(1, new byte[0], null, 0);

    public ChainState(long nextSequence, byte[] headHash, Instant lastIntervalEnd) {
        this(nextSequence, headHash, lastIntervalEnd, 0);
    }

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
        return new ChainState(nextSequence + 1, record.recordHash(), record.intervalEnd(), importWh(record));
    }

    /** The record's import register; a record we signed always parses, anything else keeps the last one. */
    private long importWh(SignedRecord record) {
        try {
            SignedTx tx = SignedTx.parseFrom(record.signedTx());
            return tx.getBodyType() == BodyType.READING ? Reading.parseFrom(tx.getBody()).getImportWh() : lastImportWh;
        } catch (InvalidProtocolBufferException e) {
            return lastImportWh;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainState c
                && nextSequence == c.nextSequence
                && java.util.Arrays.equals(headHash, c.headHash)
                && java.util.Objects.equals(lastIntervalEnd, c.lastIntervalEnd)
                && lastImportWh == c.lastImportWh;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nextSequence) * 31 + java.util.Arrays.hashCode(headHash);
    }

    @Override
    public String toString() {
        return "ChainState[nextSequence=" + nextSequence + ", headHash=" + HexFormat.of().formatHex(headHash)
                + ", lastIntervalEnd=" + lastIntervalEnd + ", lastImportWh=" + lastImportWh + "]";
    }
}
