package io.wattproof.crypto.atecc608;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResponseTest {

    private static byte[] packet(String hexWithoutCrc) {
        byte[] body = HexFormat.of().parseHex(hexWithoutCrc);
        byte[] packet = new byte[body.length + 2];
        System.arraycopy(body, 0, packet, 0, body.length);
        PacketCrc.append(packet, body.length);
        return packet;
    }

    @Test
    void dataOfTheExpectedLengthIsReturned() {
        Response r = Response.parse(packet("0700006002"), 4);
        assertArrayEquals(HexFormat.of().parseHex("00006002"), assertInstanceOf(Response.Data.class, r).bytes());
    }

    @Test
    void statusOnlySuccessIsOneDataByte() {
        Response r = Response.parse(packet("0400"), 1);
        assertArrayEquals(new byte[] {0}, assertInstanceOf(Response.Data.class, r).bytes());
    }

    @ParameterizedTest
    @EnumSource(value = Status.class, mode = EnumSource.Mode.EXCLUDE, names = "SUCCESS")
    void everyDefinedStatusIsMappedWithItsMeaning(Status status) {
        Response r = Response.parse(packet("04" + HexFormat.of().toHexDigits((byte) status.code())), 64);
        Response.Failed failed = assertInstanceOf(Response.Failed.class, r);
        assertEquals(status, failed.status());
        assertEquals(status.code(), failed.code());
        assertEquals(status.meaning(), failed.meaning());
    }

    @Test
    void anUndefinedStatusKeepsItsCode() {
        Response.Failed failed = assertInstanceOf(Response.Failed.class, Response.parse(packet("0442"), 32));
        assertEquals(0x42, failed.code());
        assertNull(failed.status());
    }

    @Test
    void aBadCrcIsCorruptAndNamesBothCrcs() {
        byte[] p = packet("0700006002");
        p[2] ^= 0x10;
        Response.Corrupt c = assertInstanceOf(Response.Corrupt.class, Response.parse(p, 4));
        assertTrue(c.reason().startsWith("response crc: expected 0x"), c.reason());
    }

    @Test
    void aCountThatDisagreesWithTheBytesIsCorrupt() {
        byte[] p = packet("0800006002");
        assertInstanceOf(Response.Corrupt.class, Response.parse(p, 4));
    }

    @Test
    void aValidPacketOfTheWrongLengthIsCorrupt() {
        assertInstanceOf(Response.Corrupt.class, Response.parse(packet("0700006002"), 32));
        assertInstanceOf(Response.Corrupt.class, Response.parse(packet("0400"), 64));
    }
}
