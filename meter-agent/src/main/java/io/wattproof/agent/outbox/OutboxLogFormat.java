package io.wattproof.agent.outbox;

import io.wattproof.agent.record.ChainState;
import io.wattproof.agent.record.SignedRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of {@code outbox.log}, apart from any file: a header, then frames.
 *
 * <pre>
 * header  "WATTPROOF-OUTBOX" (16 ASCII bytes) | version u32 | CRC-32C of the 20 bytes before, u32
 * frame   payload length u32 | CRC-32C over the length and the payload, u32 | payload
 * payload RECORD:     0x01 | ack range count u16 | ranges | sequence u64 | interval end i64 (epoch s)
 *                          | record hash (32) | SignedTx (the rest)
 *         ACKS:       0x02 | ack range count u16 | ranges
 *         CHECKPOINT: 0x03 | next sequence u64 | kept records u32 | last import register i64 (Wh)
 *                          | has interval end u8 (0 or 1) | last interval end i64 (epoch s, 0 if none)
 *                          | head hash length u8 (0 or 32) | head hash          (version 2, first frame only)
 *         FINAL:      0x04 | final range count u16 | ranges                     (version 2)
 * range   first sequence u64 | last sequence u64 (inclusive)
 * </pre>
 *
 * All integers are big-endian. The length sits inside the checksum so that a torn length cannot
 * pass for a short valid frame. A frame is at most {@link #MAX_FRAME_BYTES}: the store writes one
 * frame per write and syncs after it, so after a crash at most that many bytes at the end of the
 * file can be incomplete.
 *
 * <p><b>Version 2</b> adds final records and compaction. A compacted file starts with a
 * CHECKPOINT holding the chain state (which can no longer be recomputed from the records, the
 * final ones being gone) and the number of kept records; then the kept records, whose sequences
 * are below the checkpoint's next sequence and increase but may have gaps (the gaps were final),
 * each without acknowledgements; then ACKS frames for the kept records that were acknowledged;
 * then whatever is appended later, as in version 1 (sequences from the checkpoint's next one
 * on, without gaps). A file without a CHECKPOINT starts at sequence 1. Version 1 is version 2
 * without CHECKPOINT and FINAL frames; it is still read and appended to, and rewritten as
 * version 2 before its first FINAL frame, so that an agent that reads only version 1 refuses a
 * file it would misread with "format version 2" instead of calling a FINAL frame damage.
 */
final class OutboxLogFormat {
    static final byte[] MAGIC = "WATTPROOF-OUTBOX".getBytes(StandardCharsets.US_ASCII);
    /** The version this code writes; it reads {@link #OLDEST_READABLE_VERSION} to this. */
    static final int VERSION = 2;
    static final int OLDEST_READABLE_VERSION = 1;
    static final int HEADER_BYTES = MAGIC.length + 4 + 4;
    static final int FRAME_HEADER_BYTES = 8;
    static final int MAX_FRAME_BYTES = 256 * 1024;
    /** Ranges per frame; more acknowledgements wait for the next frame. 16 bytes each. */
    static final int MAX_RANGES_PER_FRAME = 1024;
    /**
     * Ranges in one FINAL frame: as many as fit {@link #MAX_FRAME_BYTES}, so that marking final
     * what one block's receipts settle is one write (a day of 15-minute records in arbitrary
     * order is at most 96 ranges).
     */
    static final int MAX_FINAL_RANGES_PER_FRAME = (MAX_FRAME_BYTES - FRAME_HEADER_BYTES - 3) / 16;
    /** A SignedTx is ~250 bytes; anything near this is not a meter record. */
    static final int MAX_SIGNED_TX_BYTES = 64 * 1024;

    static final byte RECORD = 1;
    static final byte ACKS = 2;
    static final byte CHECKPOINT = 3;
    static final byte FINAL = 4;

    private OutboxLogFormat() {}

    static byte[] header() {
        return header(VERSION);
    }

    static byte[] header(int version) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(version);
        return b.putInt(crc(b.array(), 0, MAGIC.length + 4)).array();
    }

    /** The version of a valid header this code reads; else {@link IllegalArgumentException} saying what is wrong. */
    static int headerVersion(byte[] header) {
        String problem = checkHeader(header);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return ByteBuffer.wrap(header).getInt(MAGIC.length);
    }

    /** Null when {@code header} is a valid header of a version this code reads, else what is wrong with it. */
    static String checkHeader(byte[] header) {
        ByteBuffer b = ByteBuffer.wrap(header);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return "it does not start with " + new String(MAGIC, StandardCharsets.US_ASCII);
        }
        int version = b.getInt();
        int crc = b.getInt();
        if (crc != crc(header, 0, MAGIC.length + 4)) {
            return "its header checksum does not match";
        }
        if (version < OLDEST_READABLE_VERSION || version > VERSION) {
            return "it has format version " + version + ", this agent reads versions " + OLDEST_READABLE_VERSION
                    + " to " + VERSION;
        }
        return null;
    }

    /** An inclusive run of sequences: acknowledged (RECORD, ACKS) or final (FINAL). */
    record AckRange(long first, long last) {
        AckRange {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("ack range " + first + ".." + last);
            }
        }
    }

    /**
     * What a CHECKPOINT says: the chain state after the last record ever appended, and how many
     * records (not final when the file was written) follow it with sequences below
     * {@code chain.nextSequence()}.
     */
    record Checkpoint(ChainState chain, int keptRecords) {}

    /**
     * A decoded payload: its type; the acknowledgements it carries (RECORD, ACKS) or the final
     * ranges (FINAL); the record (RECORD) or the checkpoint (CHECKPOINT), else null.
     */
    record Payload(byte type, List<AckRange> acks, SignedRecord record, Checkpoint checkpoint) {}

    static byte[] recordFrame(List<AckRange> acks, SignedRecord r) {
        byte[] tx = r.signedTx();
        if (tx.length > MAX_SIGNED_TX_BYTES) {
            throw new IllegalArgumentException("record " + r.sequence() + " has " + tx.length
                    + " bytes of SignedTx, more than the " + MAX_SIGNED_TX_BYTES + " a record may have");
        }
        ByteBuffer p = ByteBuffer.allocate(1 + 2 + 16 * acks.size() + 8 + 8 + 32 + tx.length).put(RECORD);
        putRanges(p, acks);
        p.putLong(r.sequence()).putLong(r.intervalEnd().getEpochSecond()).put(r.recordHash()).put(tx);
        return frame(p.array());
    }

    static byte[] acksFrame(List<AckRange> acks) {
        ByteBuffer p = ByteBuffer.allocate(1 + 2 + 16 * acks.size()).put(ACKS);
        putRanges(p, acks, MAX_RANGES_PER_FRAME);
        return frame(p.array());
    }

    static byte[] finalFrame(List<AckRange> finals) {
        ByteBuffer p = ByteBuffer.allocate(1 + 2 + 16 * finals.size()).put(FINAL);
        putRanges(p, finals, MAX_FINAL_RANGES_PER_FRAME);
        return frame(p.array());
    }

    static byte[] checkpointFrame(Checkpoint c) {
        ChainState chain = c.chain();
        byte[] head = chain.headHash();
        ByteBuffer p = ByteBuffer.allocate(1 + 8 + 4 + 8 + 1 + 8 + 1 + head.length).put(CHECKPOINT);
        p.putLong(chain.nextSequence()).putInt(c.keptRecords()).putLong(chain.lastImportWh());
        Instant end = chain.lastIntervalEnd();
        p.put((byte) (end == null ? 0 : 1)).putLong(end == null ? 0 : end.getEpochSecond());
        p.put((byte) head.length).put(head);
        return frame(p.array());
    }

    private static void putRanges(ByteBuffer p, List<AckRange> acks) {
        putRanges(p, acks, MAX_RANGES_PER_FRAME);
    }

    private static void putRanges(ByteBuffer p, List<AckRange> acks, int max) {
        if (acks.size() > max) {
            throw new IllegalArgumentException(acks.size() + " ranges in one frame, at most " + max);
        }
        p.putShort((short) acks.size());
        for (AckRange a : acks) {
            p.putLong(a.first()).putLong(a.last());
        }
    }

    private static byte[] frame(byte[] payload) {
        ByteBuffer f = ByteBuffer.allocate(FRAME_HEADER_BYTES + payload.length);
        f.putInt(payload.length).putInt(0).put(payload);
        f.putInt(4, frameCrc(f.array(), 0, payload.length));
        return f.array();
    }

    /** CRC-32C over the length field and the payload of the frame starting at {@code offset} in {@code bytes}. */
    static int frameCrc(byte[] bytes, int offset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, 4);
        crc.update(bytes, offset + FRAME_HEADER_BYTES, payloadLength);
        return (int) crc.getValue();
    }

    /**
     * Decodes a payload whose checksum already matched; a well-formed frame with content that makes
     * no sense is corruption the checksum did not catch, reported as {@link IllegalArgumentException}.
     */
    static Payload decode(byte[] payload) {
        ByteBuffer p = ByteBuffer.wrap(payload);
        require(p.remaining() >= 3, "payload of " + payload.length + " bytes is too short");
        byte type = p.get();
        require(type == RECORD || type == ACKS || type == CHECKPOINT || type == FINAL, "unknown frame type " + type);
        if (type == CHECKPOINT) {
            return new Payload(type, List.of(), null, decodeCheckpoint(p, payload.length));
        }
        int count = Short.toUnsignedInt(p.getShort());
        require(count <= (type == FINAL ? MAX_FINAL_RANGES_PER_FRAME : MAX_RANGES_PER_FRAME) && p.remaining() >= 16 * count,
                count + " ranges do not fit a payload of " + payload.length + " bytes");
        List<AckRange> acks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long first = p.getLong();
            long last = p.getLong();
            require(first >= 1 && last >= first, "range " + first + ".." + last);
            acks.add(new AckRange(first, last));
        }
        if (type == ACKS || type == FINAL) {
            require(!p.hasRemaining(), p.remaining() + " bytes after the ranges");
            return new Payload(type, acks, null, null);
        }
        require(p.remaining() >= 8 + 8 + 32, "record of " + p.remaining() + " bytes is too short");
        long sequence = p.getLong();
        long end = p.getLong();
        byte[] hash = new byte[32];
        p.get(hash);
        byte[] tx = new byte[p.remaining()];
        p.get(tx);
        require(tx.length <= MAX_SIGNED_TX_BYTES, "record " + sequence + " has " + tx.length + " bytes of SignedTx");
        return new Payload(type, acks, new SignedRecord(sequence, tx, hash, Instant.ofEpochSecond(end)), null);
    }

    private static Checkpoint decodeCheckpoint(ByteBuffer p, int payloadLength) {
        require(p.remaining() == 8 + 4 + 8 + 1 + 8 + 1 || p.remaining() == 8 + 4 + 8 + 1 + 8 + 1 + 32,
                "checkpoint payload of " + payloadLength + " bytes, expected 31 or 63");
        long next = p.getLong();
        long kept = Integer.toUnsignedLong(p.getInt());
        long importWh = p.getLong();
        byte hasEnd = p.get();
        long end = p.getLong();
        int hashLength = Byte.toUnsignedInt(p.get());
        require(next >= 1, "checkpoint next sequence: expected >= 1, got " + next);
        require(kept < next && kept <= Integer.MAX_VALUE, "checkpoint keeps " + kept + " records below next sequence " + next);
        require(hasEnd == 0 || hasEnd == 1, "checkpoint interval end flag: expected 0 or 1, got " + hasEnd);
        require(hashLength == p.remaining(), "checkpoint head hash length " + hashLength + ", " + p.remaining() + " bytes left");
        // Before the first record the chain is GENESIS: no head, no interval; after it, both.
        boolean genesis = next == 1;
        require(genesis == (hashLength == 0) && genesis == (hasEnd == 0),
                "checkpoint at next sequence " + next + " with a head hash of " + hashLength + " bytes and interval end flag " + hasEnd);
        byte[] head = new byte[hashLength];
        p.get(head);
        return new Checkpoint(new ChainState(next, head, hasEnd == 1 ? Instant.ofEpochSecond(end) : null, importWh), (int) kept);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what);
        }
    }

    static int crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
