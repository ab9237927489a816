package io.wattproof.modbus.frame.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MbapParserTest {

    /** An FC 04 request for 2 registers at 0x0048, unit 1, transaction 0x1234. */
    private static final byte[] REQUEST = hex(""
            + "1234"        // transaction id
            + "0000"        // protocol id: Modbus
            + "0006"        // length: unit id + 5-byte PDU
            + "01"          // unit id
            + "04 0048 0002");  // PDU: FC 04, address 0x0048, quantity 2

    /** The response: 230.0f = 0x43660000, high word first. */
    private static final byte[] RESPONSE = hex(""
            + "1234 0000"
            + "0007"        // length: unit id + 6-byte PDU
            + "01"
            + "04 04 4366 0000");

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void encodesTheHeaderFieldByField() {
        MbapFrame frame = new MbapFrame(0x1234, 1, hex("04 0048 0002"));
        assertArrayEquals(REQUEST, frame.encode());
        assertEquals(6, frame.lengthField());
    }

    @Test
    void parsesAFrameSplitAtEveryPosition() {
        for (byte[] bytes : List.of(REQUEST, RESPONSE)) {
            MbapFrame expected = new MbapFrame(0x1234, 1, Arrays.copyOfRange(bytes, 7, bytes.length));
            for (int split = 0; split <= bytes.length; split++) {
                MbapParser state = MbapParser.start().feed(bytes, 0, split);
                if (split < bytes.length) {
                    assertInstanceOf(MbapParser.Accumulating.class, state, "after " + split + " bytes");
                }
                state = state.feed(bytes, split, bytes.length - split);
                var complete = assertInstanceOf(MbapParser.Complete.class, state, "split at " + split);
                assertEquals(expected, complete.frame(), "split at " + split);
                assertEquals(0, complete.remainder().length);
            }
        }
    }

    @Test
    void parsesAFrameSplitAtEveryPairOfPositions() {
        byte[] bytes = RESPONSE;
        for (int a = 0; a <= bytes.length; a++) {
            for (int b = a; b <= bytes.length; b++) {
                MbapParser state = MbapParser.start()
                        .feed(bytes, 0, a)
                        .feed(bytes, a, b - a)
                        .feed(bytes, b, bytes.length - b);
                var complete = assertInstanceOf(MbapParser.Complete.class, state, "splits " + a + ", " + b);
                assertArrayEquals(bytes, complete.frame().encode());
            }
        }
    }

    @Test
    void parsesTwoFramesFedOneByteAtATime() {
        byte[] stream = new byte[REQUEST.length + RESPONSE.length];
        System.arraycopy(REQUEST, 0, stream, 0, REQUEST.length);
        System.arraycopy(RESPONSE, 0, stream, REQUEST.length, RESPONSE.length);
        List<MbapFrame> frames = new ArrayList<>();
        MbapParser state = MbapParser.start();
        for (byte b : stream) {
            state = state.feed(new byte[] {b});
            while (state instanceof MbapParser.Complete c) {
                frames.add(c.frame());
                state = c.next();
            }
        }
        assertEquals(2, frames.size());
        assertArrayEquals(REQUEST, frames.get(0).encode());
        assertArrayEquals(RESPONSE, frames.get(1).encode());
        assertEquals(new MbapParser.Accumulating(new byte[0]), state);
    }

    @Test
    void parsesTwoFramesArrivingInOneReadAtEverySplit() {
        byte[] stream = new byte[REQUEST.length + RESPONSE.length];
        System.arraycopy(REQUEST, 0, stream, 0, REQUEST.length);
        System.arraycopy(RESPONSE, 0, stream, REQUEST.length, RESPONSE.length);
        for (int split = 0; split <= stream.length; split++) {
            List<MbapFrame> frames = new ArrayList<>();
            MbapParser state = MbapParser.start();
            for (int[] chunk : new int[][] {{0, split}, {split, stream.length - split}}) {
                state = state.feed(stream, chunk[0], chunk[1]);
                while (state instanceof MbapParser.Complete c) {
                    frames.add(c.frame());
                    state = c.next();
                }
            }
            assertEquals(2, frames.size(), "split at " + split);
            assertArrayEquals(RESPONSE, frames.get(1).encode(), "split at " + split);
        }
    }

    @Test
    void feedingACompleteStateKeepsItsFrameUntilNext() {
        var complete = (MbapParser.Complete) MbapParser.start().feed(REQUEST).feed(RESPONSE, 0, 3);
        assertArrayEquals(REQUEST, complete.frame().encode());
        assertArrayEquals(Arrays.copyOf(RESPONSE, 3), complete.remainder());
        var next = assertInstanceOf(MbapParser.Complete.class, complete.next().feed(RESPONSE, 3, RESPONSE.length - 3));
        assertArrayEquals(RESPONSE, next.frame().encode());
    }

    @Test
    void failsOnANonModbusProtocolIdAtEverySplit() {
        byte[] bytes = REQUEST.clone();
        bytes[3] = 0x01; // protocol id 0x0001
        for (int split = 0; split <= bytes.length; split++) {
            MbapParser state = MbapParser.start().feed(bytes, 0, split);
            if (split < 4) {
                assertInstanceOf(MbapParser.Accumulating.class, state);
            } else {
                assertInstanceOf(MbapParser.Failed.class, state, "detected once the field is complete");
            }
            state = state.feed(bytes, split, bytes.length - split);
            var failed = assertInstanceOf(MbapParser.Failed.class, state);
            assertEquals("protocol id", failed.violation().field());
            assertEquals("0x0001", failed.violation().actual());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 255, 0xFFFF})
    void failsOnALengthOutside2To254(int length) {
        byte[] bytes = REQUEST.clone();
        bytes[4] = (byte) (length >>> 8);
        bytes[5] = (byte) length;
        var failed = assertInstanceOf(MbapParser.Failed.class, MbapParser.start().feed(bytes, 0, 6));
        assertEquals("length", failed.violation().field());
        assertEquals("2..254", failed.violation().expected());
        assertEquals(Integer.toString(length), failed.violation().actual());
        assertSame(failed, failed.feed(REQUEST), "failed is terminal");
    }

    @Test
    void acceptsTheLargestFrame() {
        byte[] pdu = new byte[253];
        pdu[0] = 0x04;
        byte[] bytes = new MbapFrame(0xFFFF, 0xFF, pdu).encode();
        assertEquals(260, bytes.length);
        var complete = assertInstanceOf(MbapParser.Complete.class, MbapParser.start().feed(bytes));
        assertEquals(new MbapFrame(0xFFFF, 0xFF, pdu), complete.frame());
    }

    @Test
    void frameRecordChecksItsFieldsAndCopiesThePdu() {
        assertThrows(IllegalArgumentException.class, () -> new MbapFrame(0x10000, 1, new byte[] {4}));
        assertThrows(IllegalArgumentException.class, () -> new MbapFrame(1, 256, new byte[] {4}));
        assertThrows(IllegalArgumentException.class, () -> new MbapFrame(1, 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new MbapFrame(1, 1, new byte[254]));
        byte[] pdu = {4, 0, 0, 0, 1};
        MbapFrame frame = new MbapFrame(1, 1, pdu);
        pdu[0] = 3;
        frame.pdu()[1] = 9;
        assertArrayEquals(new byte[] {4, 0, 0, 0, 1}, frame.pdu());
    }
}
