package io.wattproof.crypto.atecc608;

import java.util.HexFormat;

/**
 * The 4 bytes of the Info command in Revision mode (data sheet, "Info Command"): bytes 2..3 are
 * the device revision, 0x60 0x02 for the ATECC608A and 0x60 0x03 for the ATECC608B.
 */
public record Revision(byte[] bytes) {
    public Revision {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("revision: expected 4 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** True for the ATECC608 family (byte 2 = 0x60); byte 3 tells A (0x02) from B (0x03). */
    public boolean isAtecc608() {
        return (bytes[2] & 0xff) == 0x60;
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
