package io.wattproof.modbus.pdu;

import java.util.HexFormat;

/** Hex rendering for error messages: bytes as {@code "03 00 6b"}, single values as {@code "0x03"}. */
public final class Hex {
    private static final HexFormat BYTES = HexFormat.ofDelimiter(" ");

    private Hex() {}

    public static String bytes(byte[] bytes) {
        return BYTES.formatHex(bytes);
    }

    public static String bytes(byte[] bytes, int offset, int length) {
        return BYTES.formatHex(bytes, offset, offset + length);
    }

    /** One byte value, e.g. a function or unit id: {@code 0x04}. */
    public static String byteValue(int value) {
        return String.format("0x%02x", value);
    }

    /** One 16-bit value, e.g. a transaction id or register address: {@code 0x004a}. */
    public static String wordValue(int value) {
        return String.format("0x%04x", value);
    }
}
