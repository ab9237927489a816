package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PacketCrcTest {

    /**
     * Whole packets, CRC included, as published: the wake response (ATECC608 data sheet, "Wake
     * Condition"); the Info/DevRev packet that CryptoAuthLib's device discovery sends; status
     * answers and command blocks from Atmel's CryptoAuthentication example code (same CRC since
     * the ATSHA204).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "04113343",          // wake response: count 4, status 0x11
        "0730000000035d",    // Info, mode 0, param2 0
        "040100c3",          // status 0x01, miscompare
        "040f2342",          // status 0x0f, execution error
        "071c0000000a4d",    // DeriveKey, mode 0, param2 0
        "07150200003008",    // GenDig, zone 2, param2 0
        "07110000003f0d",    // HMAC, mode 0, param2 0
    })
    void publishedPacketsCarryTheirCrc(String hex) {
        byte[] packet = HexFormat.of().parseHex(hex);
        assertTrue(PacketCrc.isValid(packet), hex);
    }

    @Test
    void wakeResponseCrcIsTheKnownVector() {
        assertEquals(0x4333, PacketCrc.compute(new byte[] {0x04, 0x11}, 0, 2));
    }

    @Test
    void anyFlippedBitIsDetected() {
        byte[] packet = HexFormat.of().parseHex("0730000000035d");
        for (int bit = 0; bit < packet.length * 8; bit++) {
            byte[] damaged = packet.clone();
            damaged[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(PacketCrc.isValid(damaged), "bit " + bit);
        }
    }

    @Test
    void infoCommandEncodesToThePublishedPacket() {
        Command info = new Command(Opcode.INFO, 0x00, 0x0000, new byte[0], 4);
        assertArrayEquals(HexFormat.of().parseHex("0730000000035d"), info.packet());
        assertArrayEquals(HexFormat.of().parseHex("030730000000035d"), info.i2cWrite());
    }

    @Test
    void param2GoesLeastSignificantByteFirstAndCountCoversData() {
        byte[] digest = new byte[32];
        digest[0] = 0x5a;
        byte[] packet = new Command(Opcode.SIGN, 0x80, 0x0102, digest, 64).packet();
        assertEquals(39, packet.length);
        assertEquals(39, packet[0]);
        assertEquals(0x41, packet[1]);
        assertEquals((byte) 0x80, packet[2]);
        assertEquals(0x02, packet[3]);
        assertEquals(0x01, packet[4]);
        assertEquals(0x5a, packet[5]);
        assertTrue(PacketCrc.isValid(packet));
    }
}
