package io.wattproof.modbus.frame.rtu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Crc16Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void checkValueOfTheCrcCatalogue() {
        // CRC-16/MODBUS in the catalogue of parametrised CRC algorithms: check = 0x4b37.
        assertEquals(0x4B37, Crc16.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void emptyInputIsTheInitialValue() {
        assertEquals(0xFFFF, Crc16.of(new byte[0]));
    }

    @Test
    void frameCarriesTheCrcLowByteFirst() {
        // Read holding registers 0..9 of unit 1:
        //   01     address
        //   03     function: read holding registers
        //   00 00  starting address 0
        //   00 0a  quantity 10
        //   c5 cd  CRC 0xcdc5, low byte first
        RtuFrame frame = new RtuFrame(1, HEX.parseHex("030000000a"));
        assertArrayEquals(HEX.parseHex("01030000000ac5cd"), frame.encode());
        assertEquals(0xCDC5, Crc16.of(HEX.parseHex("01030000000a")));
        assertEquals(8, frame.length());
        assertEquals(3, frame.functionCode());
    }

    @Test
    void crcOfAFrameIncludingItsCrcIsZero() {
        // The property receivers may use instead of comparing: the CRC over data + CRC is 0.
        byte[] encoded = new RtuFrame(17, HEX.parseHex("0404000100ff43")).encode();
        assertEquals(0, Crc16.of(encoded));
    }
}
