package io.wattproof.modbus.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistersTest {

    /**
     * IEEE 754 single-precision vectors (sign | 8-bit exponent | 23-bit fraction), computed by hand:
     * 230.0 = 1.796875 x 2^7 -> 0x43660000; 1234.5 = 1.20556640625 x 2^10 -> 0x449a5000.
     */
    @ParameterizedTest
    @CsvSource({
        "230.0,   0x4366, 0x0000",
        "1234.5,  0x449a, 0x5000",
        "-1.0,    0xbf80, 0x0000",
        "0.0,     0x0000, 0x0000",
        "49.95,   0x4247, 0xcccd",
        "-2500.25, 0xc51c, 0x4400"
    })
    void decodesFloat32InBothWordOrders(float value, String high, String low) {
        int hi = Integer.decode(high.strip());
        int lo = Integer.decode(low.strip());
        assertEquals(value, Registers.float32(new int[] {hi, lo}, 0, WordOrder.HIGH_WORD_FIRST));
        assertEquals(value, Registers.float32(new int[] {hi, lo}, 0), "high word first is the default");
        assertEquals(value, Registers.float32(new int[] {lo, hi}, 0, WordOrder.LOW_WORD_FIRST));
        assertArrayEquals(new int[] {hi, lo}, Registers.fromFloat32(value, WordOrder.HIGH_WORD_FIRST));
        assertArrayEquals(new int[] {lo, hi}, Registers.fromFloat32(value, WordOrder.LOW_WORD_FIRST));
    }

    @Test
    void readsAtAnOffsetInsideABlock() {
        int[] block = {0x1111, 0x4366, 0x0000, 0x449a, 0x5000};
        assertEquals(230.0f, Registers.float32(block, 1));
        assertEquals(1234.5f, Registers.float32(block, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Registers.float32(block, 4));
    }

    @Test
    void passesNanAndInfinityThroughForTheCallerToRefuse() {
        assertTrue(Float.isNaN(Registers.float32(new int[] {0x7fc0, 0x0000}, 0)));
        assertEquals(Float.POSITIVE_INFINITY, Registers.float32(new int[] {0x7f80, 0x0000}, 0));
        // A NaN payload survives the round trip (floatToRawIntBits), useful to simulate faults.
        float nan = Float.intBitsToFloat(0x7fc01234);
        assertArrayEquals(new int[] {0x7fc0, 0x1234}, Registers.fromFloat32(nan));
    }

    @Test
    void decodesSixteenBitValues() {
        assertEquals(0xFFFF, Registers.uint16(0xFFFF));
        assertEquals(-1, Registers.int16(0xFFFF));
        assertEquals(-32768, Registers.int16(0x8000));
        assertEquals(32767, Registers.int16(0x7FFF));
        assertEquals(0xFFFF, Registers.fromInt16(-1));
        assertEquals(-2, Registers.int16(new int[] {0, 0xFFFE}, 1));
        assertThrows(IllegalArgumentException.class, () -> Registers.uint16(0x10000));
        assertThrows(IllegalArgumentException.class, () -> Registers.int16(-1));
        assertThrows(IllegalArgumentException.class, () -> Registers.fromInt16(32768));
    }

    @Test
    void decodesThirtyTwoBitIntegers() {
        assertEquals(0xDEADBEEFL, Registers.uint32(new int[] {0xDEAD, 0xBEEF}, 0));
        assertEquals(0xDEADBEEFL, Registers.uint32(new int[] {0xBEEF, 0xDEAD}, 0, WordOrder.LOW_WORD_FIRST));
        assertEquals(-1, Registers.int32(new int[] {0xFFFF, 0xFFFF}, 0));
        assertEquals(65536, Registers.int32(new int[] {0x0001, 0x0000}, 0));
        assertEquals(65536, Registers.int32(new int[] {0x0000, 0x0001}, 0, WordOrder.LOW_WORD_FIRST));
        assertArrayEquals(new int[] {0xFFFF, 0xFFFE}, Registers.fromInt32(-2, WordOrder.HIGH_WORD_FIRST));
        assertArrayEquals(new int[] {0xBEEF, 0xDEAD}, Registers.fromUint32(0xDEADBEEFL, WordOrder.LOW_WORD_FIRST));
        assertThrows(IllegalArgumentException.class, () -> Registers.fromUint32(-1, WordOrder.HIGH_WORD_FIRST));
        var e = assertThrows(IllegalArgumentException.class, () -> Registers.int32(new int[] {0, 70000}, 0));
        assertEquals("registers[1]: expected 0..65535, actual 70000", e.getMessage());
    }

    @Test
    void roundTripsRandomValues() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            int bits = random.nextInt();
            for (WordOrder order : WordOrder.values()) {
                assertEquals(bits, Registers.int32(Registers.fromInt32(bits, order), 0, order));
                float f = Float.intBitsToFloat(bits);
                assertEquals(bits, Float.floatToRawIntBits(Registers.float32(Registers.fromFloat32(f, order), 0, order)));
            }
        }
    }
}
