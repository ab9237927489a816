package io.wattproof.crypto.atecc608;

import java.util.HexFormat;

/**
 * What a response packet (count, data, CRC-16; data sheet, "I/O Blocks") says, checked before any
 * byte of it is used: a packet whose CRC fails is {@link Corrupt} and its data is never returned.
 */
public sealed interface Response {

    /** A successful response with the expected number of data bytes. */
    record Data(byte[] bytes) implements Response {
        public Data {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }
    }

    /** A 4-byte packet whose status byte reports a failure; {@code status} is null for an undefined code. */
    record Failed(int code, Status status) implements Response {
        public String meaning() {
            return status == null ? "undefined status code" : status.meaning();
        }
    }

    /** Not a valid packet: wrong count, wrong length, or CRC mismatch. */
    record Corrupt(String reason) implements Response {}

    /**
     * Parses a whole packet read from the chip for a command whose successful data is
     * {@code expectedData} bytes long (1 for status-only commands, whose success is 0x00).
     */
    static Response parse(byte[] packet, int expectedData) {
        if (packet.length < 4) {
            return new Corrupt("response length: expected at least 4 bytes, got " + packet.length);
        }
        int count = packet[0] & 0xff;
        if (count != packet.length) {
            return new Corrupt("response count: expected " + packet.length + " (bytes read), got " + count);
        }
        if (!PacketCrc.isValid(packet)) {
            int crc = PacketCrc.compute(packet, 0, packet.length - 2);
            return new Corrupt("response crc: expected 0x" + HexFormat.of().toHexDigits((byte) crc) + HexFormat.of().toHexDigits((byte) (crc >>> 8))
                    + ", got 0x" + HexFormat.of().formatHex(packet, packet.length - 2, packet.length) + " in packet 0x" + HexFormat.of().formatHex(packet));
        }
        if (count == 4 && !(expectedData == 1 && packet[1] == 0)) {
            int code = packet[1] & 0xff;
            if (code == Status.SUCCESS.code()) {
                return new Corrupt("response: expected " + expectedData + " data bytes, got only a success status");
            }
            return new Failed(code, Status.of(code));
        }
        if (count - 3 != expectedData) {
            return new Corrupt("response count: expected " + (expectedData + 3) + " (" + expectedData + " data bytes), got " + count);
        }
        byte[] data = new byte[expectedData];
        System.arraycopy(packet, 1, data, 0, expectedData);
        return new Data(data);
    }
}
