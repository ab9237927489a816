package io.wattproof.agent.outbox;

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
 * payload RECORD: 0x01 | ack range count u16 | ranges | sequence u64 | interval end i64 (epoch s)
 *                       | record hash (32) | SignedTx (the rest)
 *         ACKS:   0x02 | ack range count u16 | ranges
 * range   first sequence u64 | last sequence u64 (inclusive)
 * </pre>
 *
 * All integers are big-endian. The length sits inside the checksum so that a torn length cannot
 * pass for a short valid frame. A frame is at most {@link #MAX_FRAME_BYTES}: the store writes one
 * frame per write and syncs after it, so after a crash at most that many bytes at the end of the
 * file can be incomplete.
 */
final class OutboxLogFormat {
    static final byte[] MAGIC = "WATTPROOF-OUTBOX".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = MAGIC.length + 4 + 4;
    static final int FRAME_HEADER_BYTES = 8;
    static final int MAX_FRAME_BYTES = 256 * 1024;
    /** Ranges per frame; more acknowledgements wait for the next frame. 16 bytes each. */
    static final int MAX_RANGES_PER_FRAME = 1024;
    /** A SignedTx is ~250 bytes; anything near this is not a meter record. */
    static final int MAX_SIGNED_TX_BYTES = 64 * 1024;

    static final byte RECORD = 1;
    static final byte ACKS = 2;

    private OutboxLogFormat() {}

    static byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(VERSION);
        return b.putInt(crc(b.array(), 0, MAGIC.length + 4)).array();
    }

    /** Null when {@code header} is a valid header of this version, else what is wrong with it. */
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
        if (version != VERSION) {
            return "it has format version " + version + ", this agent reads version " + VERSION;
        }
        return null;
    }

    /** An inclusive run of acknowledged sequences. */
    record AckRange(long first, long last) {
        AckRange {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("ack range " + first + ".." + last);
            }
        }
    }

    /** A decoded payload: the acknowledgements it carries and, for RECORD, the record. */
    record Payload(List<AckRange> acks, SignedRecord record) {}

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
        putRanges(p, acks);
        return frame(p.array());
    }

    private static void putRanges(ByteBuffer p, List<AckRange> acks) {
        if (acks.size() > MAX_RANGES_PER_FRAME) {
            throw new IllegalArgumentException(acks.size() + " ack ranges in one frame, at most " + MAX_RANGES_PER_FRAME);
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
        require(type == RECORD || type == ACKS, "unknown frame type " + type);
        int count = Short.toUnsignedInt(p.getShort());
        require(count <= MAX_RANGES_PER_FRAME && p.remaining() >= 16 * count,
                count + " ack ranges do not fit a payload of " + payload.length + " bytes");
        List<AckRange> acks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long first = p.getLong();
            long last = p.getLong();
            require(first >= 1 && last >= first, "ack range " + first + ".." + last);
            acks.add(new AckRange(first, last));
        }
        if (type == ACKS) {
            require(!p.hasRemaining(), p.remaining() + " bytes after the ack ranges");
            return new Payload(acks, null);
        }
        require(p.remaining() >= 8 + 8 + 32, "record of " + p.remaining() + " bytes is too short");
        long sequence = p.getLong();
        long end = p.getLong();
        byte[] hash = new byte[32];
        p.get(hash);
        byte[] tx = new byte[p.remaining()];
        p.get(tx);
        require(tx.length <= MAX_SIGNED_TX_BYTES, "record " + sequence + " has " + tx.length + " bytes of SignedTx");
        return new Payload(acks, new SignedRecord(sequence, tx, hash, Instant.ofEpochSecond(end)));
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
