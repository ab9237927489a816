package io.wattproof.crypto.atecc608;

/**
 * The CRC-16 that closes every ATECC608 packet in both directions (data sheet, "I/O Blocks" /
 * "CRC Calculation"): polynomial 0x8005, initial value 0, no final XOR, each byte fed least
 * significant bit first (the data sheet's routine walks a shift mask from 0x01 to 0x80), and the
 * 16-bit result sent least significant byte first. Known vector: the wake response's count and
 * status, 0x04 0x11, give 0x4333, on the wire 0x33 0x43.
 */
public final class PacketCrc {
    private static final int POLYNOMIAL = 0x8005;

    private PacketCrc() {}

    /** The CRC of {@code length} bytes of {@code data} from {@code offset}, as an unsigned 16-bit value. */
    public static int compute(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                int dataBit = (b >> bit) & 1;
                int crcBit = (crc >> 15) & 1;
                crc = (crc << 1) & 0xffff;
                if (dataBit != crcBit) {
                    crc ^= POLYNOMIAL;
                }
            }
        }
        return crc;
    }

    /** True when the last two bytes of {@code packet} are the CRC (LSB first) of the bytes before them. */
    public static boolean isValid(byte[] packet) {
        if (packet.length < 3) {
            return false;
        }
        int crc = compute(packet, 0, packet.length - 2);
        return (packet[packet.length - 2] & 0xff) == (crc & 0xff) && (packet[packet.length - 1] & 0xff) == crc >>> 8;
    }

    /** Writes the CRC of {@code packet[0 .. length)} at {@code packet[length]} and {@code packet[length + 1]}. */
    static void append(byte[] packet, int length) {
        int crc = compute(packet, 0, length);
        packet[length] = (byte) crc;
        packet[length + 1] = (byte) (crc >>> 8);
    }
}
