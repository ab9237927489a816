package io.wattproof.modbus.frame.rtu;

/**
 * CRC-16/MODBUS (Modbus over Serial Line V1.02 section 2.5.1.2 and Appendix B): polynomial 0x8005
 * processed least significant bit first (0xa001 reflected), initial value 0xffff, no final XOR.
 * The CRC is appended to the frame low byte first. Check value: "123456789" gives 0x4b37.
 */
public final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc16() {}

    /** The CRC of {@code length} bytes from {@code offset}, 0..65535. */
    public static int of(byte[] bytes, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xFF];
        }
        return crc;
    }

    public static int of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }

    /** The CRC as it appears in a frame: the two bytes at {@code offset}, low byte first. */
    static int read(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }
}
