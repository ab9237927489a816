package io.wattproof.crypto.atecc608;

import java.util.HexFormat;

/**
 * The chip's 9-byte serial number: SN[0:3] at config bytes 0..3 and SN[4:8] at config bytes
 * 8..12 (data sheet, "Configuration Zone"). SN[0:1] is 0x01 0x23 on every device.
 */
public record SerialNumber(byte[] bytes) {
    public SerialNumber {
        if (bytes.length != 9) {
            throw new IllegalArgumentException("serial number: expected 9 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Takes SN[0:3] and SN[4:8] from config block 0 (config bytes 0..31). */
    static SerialNumber fromConfigBlock0(byte[] block0) {
        byte[] sn = new byte[9];
        System.arraycopy(block0, 0, sn, 0, 4);
        System.arraycopy(block0, 8, sn, 4, 5);
        return new SerialNumber(sn);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
