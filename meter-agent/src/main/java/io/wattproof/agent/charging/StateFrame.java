package io.wattproof.agent.charging;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The frame of the pile's state files ({@code charging-session.bin}, {@code charging-pile.bin}):
 * four ASCII magic bytes, a version byte, the body, and a CRC-32 over everything before it, so a
 * torn or foreign file is recognised before any field of it is believed.
 */
final class StateFrame {
    private StateFrame() {}

    /** What {@link #open} found: the body, or why the bytes are not such a file. */
    sealed interface Opened {
        /** Positioned at the body's first byte, limited to its last. */
        record Body(ByteBuffer body) implements Opened {}

        record Corrupt(String reason) implements Opened {}
    }

    /** Appends the CRC-32 of {@code b}'s bytes up to its position. */
    static void appendCrc(ByteBuffer b) {
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
    }

    /** Checks length, CRC, magic and version, in that order; each failure names the file and the field. */
    static Opened open(byte[] bytes, String fileName, byte[] magic, int version) {
        if (bytes.length < magic.length + 1 + 4) {
            return new Opened.Corrupt(fileName + ": expected at least " + (magic.length + 5) + " bytes, got " + bytes.length);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            return new Opened.Corrupt(String.format(fileName + " crc: expected %08x, got %08x", (int) crc.getValue(), stored));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        byte[] actual = new byte[magic.length];
        b.get(actual);
        if (!Arrays.equals(actual, magic)) {
            return new Opened.Corrupt(fileName + " magic: expected " + new String(magic, java.nio.charset.StandardCharsets.US_ASCII)
                    + ", got " + HexFormat.of().formatHex(actual));
        }
        int v = b.get() & 0xff;
        if (v != version) {
            return new Opened.Corrupt(fileName + " version: expected " + version + ", got " + v);
        }
        return new Opened.Body(b);
    }
}
