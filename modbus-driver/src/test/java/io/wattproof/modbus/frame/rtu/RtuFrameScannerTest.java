package io.wattproof.modbus.frame.rtu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RtuFrameScannerTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Unit 17 answers FC 04 with two registers 0x4366 0x8000 (230.5 as float32). */
    private static final RtuFrame READ_RESPONSE = new RtuFrame(17, HEX.parseHex("04044366" + "8000"));
    /** Unit 17 refuses FC 04 with exception code 0x02. */
    private static final RtuFrame EXCEPTION = new RtuFrame(17, HEX.parseHex("8402"));
    /** Unit 3 echoes a write of 0x1234 to register 0x0010. */
    private static final RtuFrame WRITE_SINGLE_RESPONSE = new RtuFrame(3, HEX.parseHex("0600101234"));
    /** Unit 3 acknowledges a write of 2 registers from 0x0010. */
    private static final RtuFrame WRITE_MULTIPLE_RESPONSE = new RtuFrame(3, HEX.parseHex("1000100002"));
    /**
     * Unit 1 answers read device identification, basic stream:
     * 2b 0e (MEI), 01 (read code), 01 (conformity), 00 (more follows), 00 (next object),
     * 02 (objects), 00 03 "ABC" (vendor name), 01 02 "X1" (product code).
     */
    private static final RtuFrame DEVICE_ID_RESPONSE =
            new RtuFrame(1, HEX.parseHex("2b0e01010000020003414243" + "01025831"));

    private static final List<RtuFrame> RESPONSES =
            List.of(READ_RESPONSE, EXCEPTION, WRITE_SINGLE_RESPONSE, WRITE_MULTIPLE_RESPONSE, DEVICE_ID_RESPONSE,
                    new RtuFrame(247, maxReadResponse()));

    private static byte[] maxReadResponse() {
        byte[] pdu = new byte[2 + 250];
        pdu[0] = 0x03;
        pdu[1] = (byte) 250;
        new Random(7).nextBytes(Arrays.copyOfRange(pdu, 2, pdu.length));
        for (int i = 2; i < pdu.length; i++) {
            pdu[i] = (byte) (i * 31);
        }
        return pdu;
    }

    @Test
    void everySplitOfAResponseGivesTheFrameOnlyWhenComplete() {
        for (RtuFrame frame : RESPONSES) {
            byte[] bytes = frame.encode();
            for (int prefix = 0; prefix < bytes.length; prefix++) {
                RtuScan scan = RtuFrameScanner.scanResponse(bytes, 0, prefix, frame.unitId());
                assertInstanceOf(RtuScan.Incomplete.class, scan, frame + " prefix " + prefix);
            }
            RtuScan.Found found = assertInstanceOf(RtuScan.Found.class,
                    RtuFrameScanner.scanResponse(bytes, 0, bytes.length, frame.unitId()));
            assertEquals(frame, found.frame());
            assertEquals(0, found.start());
            assertEquals(bytes.length, found.end());
        }
    }

    @Test
    void aPrefixOfAFrameIsReportedAsTruncatedWithItsExpectedLength() {
        byte[] bytes = READ_RESPONSE.encode(); // 9 bytes
        RtuScan.Incomplete scan = assertInstanceOf(RtuScan.Incomplete.class,
                RtuFrameScanner.scanResponse(bytes, 0, 5, 17));
        LineFault.Truncated t = assertInstanceOf(LineFault.Truncated.class, scan.fault());
        assertEquals(17, t.unitId());
        assertEquals(0x04, t.functionCode());
        assertEquals(5, t.received());
        assertEquals(9, t.expected());
        assertEquals("frame length: expected 9 bytes (unit 17, function 0x04), actual 5 bytes (bytes 11 04 04 43 66)",
                t.violation().message());
    }

    @Test
    void noiseBeforeAFrameIsSkipped() {
        Random random = new Random(42);
        for (int noiseLength = 1; noiseLength <= 64; noiseLength++) {
            byte[] noise = new byte[noiseLength];
            random.nextBytes(noise);
            for (RtuFrame frame : RESPONSES) {
                byte[] bytes = concat(noise, frame.encode());
                RtuScan scan = RtuFrameScanner.scanResponse(bytes, 0, bytes.length, frame.unitId());
                RtuScan.Found found = assertInstanceOf(RtuScan.Found.class, scan, "noise " + HEX.formatHex(noise));
                assertEquals(frame, found.frame(), "noise " + HEX.formatHex(noise));
                assertEquals(noiseLength, found.start());
            }
        }
    }

    @Test
    void onlyNoiseIsReportedAsNoise() {
        byte[] noise = HEX.parseHex("fffefdfc00f8");
        RtuScan.Incomplete scan = assertInstanceOf(RtuScan.Incomplete.class,
                RtuFrameScanner.scanResponse(noise, 0, noise.length, 1));
        LineFault.Noise n = assertInstanceOf(LineFault.Noise.class, scan.fault());
        assertEquals(6, n.count());
        assertEquals("ff fe fd fc 00 f8", n.hex());
    }

    @Test
    void noSingleOrDoubleBitErrorYieldsAFrameAMasterWouldAccept() {
        // CRC-16/MODBUS detects every 1- and 2-bit error within a span of fixed length. A flip in the
        // function code or byte count changes the span the CRC covers, and then a shorter frame can
        // check out by chance (about 1 in 65536): flipping bits 9 and 24 of READ_RESPONSE gives a valid
        // FC 06 frame. So the guarantee is: a frame found in corrupted bytes never has the original's
        // unit, function and length, which is what a master checks against its request.
        int foundByChance = 0;
        for (RtuFrame frame : List.of(READ_RESPONSE, EXCEPTION, WRITE_SINGLE_RESPONSE, DEVICE_ID_RESPONSE)) {
            byte[] good = frame.encode();
            int bits = good.length * 8;
            for (int i = 0; i < bits; i++) {
                for (int j = i; j < bits; j++) {
                    byte[] bad = good.clone();
                    bad[i / 8] ^= (byte) (1 << (i % 8));
                    if (j != i) {
                        bad[j / 8] ^= (byte) (1 << (j % 8));
                    }
                    RtuScan scan = RtuFrameScanner.scanResponse(bad, 0, bad.length, frame.unitId());
                    if (scan instanceof RtuScan.Found f) {
                        foundByChance++;
                        RtuFrame got = f.frame();
                        if (got.unitId() == frame.unitId() && got.functionCode() == frame.functionCode()
                                && got.length() == frame.length()) {
                            fail("bits " + i + "," + j + " flipped in " + frame + " gave " + got);
                        }
                    }
                }
            }
        }
        assertTrue(foundByChance < 5, "frames found by chance: " + foundByChance);
    }

    @Test
    void aCorruptedFrameFromTheUnitAskedIsReportedAsACrcError() {
        byte[] bad = READ_RESPONSE.encode();
        bad[4] ^= 0x01;
        RtuScan.Incomplete scan = assertInstanceOf(RtuScan.Incomplete.class,
                RtuFrameScanner.scanResponse(bad, 0, bad.length, 17));
        LineFault.CrcMismatch crc = assertInstanceOf(LineFault.CrcMismatch.class, scan.fault());
        assertEquals(17, crc.unitId());
        assertEquals(Crc16.of(bad, 0, 7), crc.computed());
        assertEquals(Crc16.read(bad, 7), crc.received());
        assertTrue(crc.violation().message().startsWith("crc (unit 17, function 0x04): expected 0x"),
                crc.violation().message());
    }

    @Test
    void aValidFrameAfterACorruptedOneIsFound() {
        byte[] bad = READ_RESPONSE.encode();
        bad[5] ^= 0x40;
        byte[] bytes = concat(bad, READ_RESPONSE.encode());
        RtuScan.Found found = assertInstanceOf(RtuScan.Found.class,
                RtuFrameScanner.scanResponse(bytes, 0, bytes.length, 17));
        assertEquals(READ_RESPONSE, found.frame());
        assertEquals(bad.length, found.start());
    }

    @Test
    void aFrameFromAnotherUnitIsStillFoundSoTheMasterCanReportIt() {
        RtuFrame other = new RtuFrame(18, READ_RESPONSE.pdu());
        byte[] bytes = other.encode();
        RtuScan.Found found = assertInstanceOf(RtuScan.Found.class,
                RtuFrameScanner.scanResponse(bytes, 0, bytes.length, 17));
        assertEquals(18, found.frame().unitId());
    }

    @Test
    void responsesNeverComeFromTheBroadcastOrReservedAddresses() {
        for (int address : new int[] {0, 248, 255}) {
            byte[] bytes = new RtuFrame(address, READ_RESPONSE.pdu()).encode();
            assertInstanceOf(RtuScan.Incomplete.class, RtuFrameScanner.scanResponse(bytes, 0, bytes.length, address));
        }
    }

    @Test
    void impossibleByteCountsAreNotFramed() {
        // FC 03 byte counts must be even and 2..250: 0x00, 0x03 and 0xfc are impossible.
        for (String pdu : List.of("0300", "0303010203", "03fc")) {
            byte[] bytes = new RtuFrame(1, HEX.parseHex(pdu)).encode();
            RtuScan scan = RtuFrameScanner.scanResponse(bytes, 0, bytes.length, 1);
            assertInstanceOf(RtuScan.Incomplete.class, scan, pdu);
        }
    }

    @Test
    void everySplitOfEveryRequestKind() {
        List<RtuFrame> requests = List.of(
                new RtuFrame(1, HEX.parseHex("030000000a")), // read holding
                new RtuFrame(2, HEX.parseHex("0400480004")), // read input
                new RtuFrame(0, HEX.parseHex("0600011234")), // broadcast write single
                new RtuFrame(5, HEX.parseHex("100001000204000a0102")), // write multiple, 2 registers
                new RtuFrame(6, HEX.parseHex("2b0e0100"))); // read device identification, basic
        for (RtuFrame frame : requests) {
            byte[] bytes = frame.encode();
            for (int prefix = 0; prefix < bytes.length; prefix++) {
                assertInstanceOf(RtuScan.Incomplete.class, RtuFrameScanner.scanRequest(bytes, 0, prefix),
                        frame + " prefix " + prefix);
            }
            RtuScan.Found found = assertInstanceOf(RtuScan.Found.class,
                    RtuFrameScanner.scanRequest(bytes, 0, bytes.length));
            assertEquals(frame, found.frame());
        }
    }

    @Test
    void anUnknownFunctionIsFramedBySilenceOnly() {
        byte[] bytes = new RtuFrame(1, HEX.parseHex("4101020304")).encode();
        assertInstanceOf(RtuScan.Incomplete.class, RtuFrameScanner.scanRequest(bytes, 0, bytes.length));
        assertEquals(new RtuFrame(1, HEX.parseHex("4101020304")),
                RtuFrameScanner.wholeFrame(bytes, 0, bytes.length).orElseThrow());
        bytes[3] ^= 1;
        assertFalse(RtuFrameScanner.wholeFrame(bytes, 0, bytes.length).isPresent());
        assertFalse(RtuFrameScanner.wholeFrame(bytes, 0, 3).isPresent());
    }

    @Test
    void scansOnlyTheGivenRange() {
        byte[] frame = READ_RESPONSE.encode();
        byte[] bytes = concat(HEX.parseHex("aabbcc"), concat(frame, HEX.parseHex("ddee")));
        RtuScan.Found found = assertInstanceOf(RtuScan.Found.class,
                RtuFrameScanner.scanResponse(bytes, 3, 3 + frame.length, 17));
        assertEquals(0, found.start());
        assertEquals(frame.length, found.end());
        assertInstanceOf(LineFault.Silence.class,
                assertInstanceOf(RtuScan.Incomplete.class, RtuFrameScanner.scanResponse(bytes, 2, 2, 17)).fault());
    }

    @Test
    void theBytesMissingFromAnAnswerAreNeverOverstatedAndExactOnceItsLengthIsKnown() {
        for (RtuFrame frame : RESPONSES) {
            byte[] bytes = frame.encode();
            int function = frame.pdu()[0] & 0x7F;
            // How many bytes decide the length: function code, plus the byte count for FC 03/04, plus
            // for FC 43 the object headers up to the last one.
            int decided = switch (function) {
                case 0x03, 0x04 -> (frame.pdu()[0] & 0x80) != 0 ? 2 : 3;
                case 0x2b -> bytes.length - 2 - 2; // the last object's value ("X1") and the CRC
                default -> 2;
            };
            for (int received = 1; received <= bytes.length; received++) {
                int missing = RtuFrameScanner.responseBytesMissing(bytes, 0, received, frame.unitId(), function);
                String where = frame + " after " + received + " bytes";
                assertTrue(missing <= bytes.length - received, where + ": " + missing + " is more than can come");
                if (received < bytes.length) {
                    assertTrue(missing >= 1, where + ": nothing missing from an incomplete frame");
                }
                if (received >= decided) {
                    assertEquals(bytes.length - received, missing, where);
                }
            }
        }
    }

    @Test
    void beforeTheFunctionCodeTheShortestAnswerBoundsWhatIsMissing() {
        byte[] bytes = new RtuFrame(17, maxReadResponse()).encode();
        // An exception response (5 bytes) could follow the address as well as the 255-byte answer.
        assertEquals(4, RtuFrameScanner.responseBytesMissing(bytes, 0, 1, 17, 0x03));
        assertEquals(3, RtuFrameScanner.responseBytesMissing(bytes, 0, 2, 17, 0x03));
        assertEquals(bytes.length - 3, RtuFrameScanner.responseBytesMissing(bytes, 0, 3, 17, 0x03));
    }

    @Test
    void nothingIsExpectedFromBytesThatDoNotBeginTheAnswerAsked() {
        byte[] read = READ_RESPONSE.encode(); // unit 17, FC 04
        assertEquals(0, RtuFrameScanner.responseBytesMissing(read, 0, 3, 18, 0x04), "another unit");
        assertEquals(0, RtuFrameScanner.responseBytesMissing(read, 0, 3, 17, 0x03), "another function");
        assertEquals(0, RtuFrameScanner.responseBytesMissing(read, 0, 0, 17, 0x04), "no bytes");
        assertEquals(0, RtuFrameScanner.responseBytesMissing(read, 0, read.length, 17, 0x04), "complete");
        byte[] impossibleCount = HEX.parseHex("110403");
        assertEquals(0, RtuFrameScanner.responseBytesMissing(impossibleCount, 0, 3, 17, 0x04), "odd byte count");
        byte[] exception = EXCEPTION.encode(); // 11 84 02 + CRC: the exception response to FC 04
        assertEquals(3, RtuFrameScanner.responseBytesMissing(exception, 0, 2, 17, 0x04));
        byte[] shifted = concat(HEX.parseHex("aa"), read);
        assertEquals(0, RtuFrameScanner.responseBytesMissing(shifted, 0, 4, 17, 0x04), "noise first");
        assertEquals(6, RtuFrameScanner.responseBytesMissing(shifted, 1, 4, 17, 0x04), "from the given offset");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
