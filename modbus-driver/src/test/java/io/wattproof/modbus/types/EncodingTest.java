package io.wattproof.modbus.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EncodingTest {
    private static final int SAMPLES = 2_000;

    static Stream<Arguments> numericEncodings() {
        List<Arguments> all = new ArrayList<>();
        for (DataType type : DataType.values()) {
            if (type == DataType.STRING) {
                continue;
            }
            for (WordOrder w : WordOrder.values()) {
                for (ByteOrder b : ByteOrder.values()) {
                    all.add(Arguments.of(Encoding.of(type, w, b)));
                }
            }
        }
        return all.stream();
    }

    static Stream<Arguments> integerEncodings() {
        return numericEncodings().filter(a -> ((Encoding) a.get()[0]).type().isInteger());
    }

    /** Every register pattern decodes to some bits and encodes back to the same registers. */
    @ParameterizedTest
    @MethodSource("numericEncodings")
    void bitsRoundTripForEveryRegisterPattern(Encoding encoding) {
        Random random = new Random(encoding.hashCode());
        for (int i = 0; i < SAMPLES; i++) {
            int[] registers = randomRegisters(random, encoding.width());
            assertArrayEquals(registers, encoding.encodeBits(encoding.decodeBits(registers, 0)), encoding.toString());
        }
    }

    /** Integers across the whole range, edges included, survive encode then decode exactly. */
    @ParameterizedTest
    @MethodSource("integerEncodings")
    void integersRoundTrip(Encoding encoding) {
        Random random = new Random(encoding.hashCode());
        List<BigInteger> values = new ArrayList<>(List.of(encoding.min(), encoding.max(), BigInteger.ZERO,
                encoding.min().add(BigInteger.ONE), encoding.max().subtract(BigInteger.ONE)));
        BigInteger span = encoding.max().subtract(encoding.min()).add(BigInteger.ONE);
        for (int i = 0; i < SAMPLES; i++) {
            values.add(new BigInteger(span.bitLength() + 8, random).mod(span).add(encoding.min()));
        }
        for (BigInteger v : values) {
            int[] registers = encoding.encodeInteger(v);
            assertEquals(encoding.width(), registers.length);
            for (int r : registers) {
                assertTrue(r >= 0 && r <= 0xFFFF, "register " + r);
            }
            assertEquals(v, encoding.decodeInteger(registers, 0), encoding + " " + v);
            // BigInteger.doubleValue rounds correctly: decodeNumber must agree, uint64 included.
            assertEquals(v.doubleValue(), encoding.decodeNumber(registers, 0), encoding + " " + v);
        }
    }

    @ParameterizedTest
    @MethodSource("integerEncodings")
    void refusesToEncodeIntegersOutsideTheType(Encoding encoding) {
        var below = assertThrows(IllegalArgumentException.class,
                () -> encoding.encodeInteger(encoding.min().subtract(BigInteger.ONE)));
        assertEquals(encoding.type() + " value: expected " + encoding.range() + ", actual "
                + encoding.min().subtract(BigInteger.ONE), below.getMessage());
        assertThrows(IllegalArgumentException.class, () -> encoding.encodeInteger(encoding.max().add(BigInteger.ONE)));
    }

    @ParameterizedTest
    @CsvSource({"FLOAT32", "FLOAT64"})
    void floatsRoundTripInEveryOrder(DataType type) {
        Random random = new Random(7);
        for (WordOrder w : WordOrder.values()) {
            for (ByteOrder b : ByteOrder.values()) {
                Encoding encoding = Encoding.of(type, w, b);
                for (int i = 0; i < SAMPLES; i++) {
                    double value = type == DataType.FLOAT32
                            ? Float.intBitsToFloat(random.nextInt())
                            : Double.longBitsToDouble(random.nextLong());
                    double back = encoding.decodeNumber(encoding.encodeFloat(value), 0);
                    if (Double.isNaN(value)) {
                        assertTrue(Double.isNaN(back));
                    } else {
                        assertEquals(value, back, encoding.toString());
                    }
                }
                assertEquals(Double.POSITIVE_INFINITY, encoding.decodeNumber(encoding.encodeFloat(Double.POSITIVE_INFINITY), 0));
            }
        }
    }

    @Test
    void float32RoundsToNearestAndRefusesValuesBeyondItsRange() {
        Encoding f = Encoding.of(DataType.FLOAT32);
        assertEquals((double) 230.1f, f.decodeNumber(f.encodeFloat(230.1), 0));
        var e = assertThrows(IllegalArgumentException.class, () -> f.encodeFloat(1e300));
        assertEquals("float32 value: expected a finite value within +-3.4028235E38, actual 1.0E300", e.getMessage());
    }

    /** The four layouts of 0x11223344 named in vendor manuals: ABCD, CDAB, BADC, DCBA. */
    @ParameterizedTest
    @CsvSource({
        "HIGH_WORD_FIRST, BIG,    0x1122, 0x3344",
        "LOW_WORD_FIRST,  BIG,    0x3344, 0x1122",
        "HIGH_WORD_FIRST, LITTLE, 0x2211, 0x4433",
        "LOW_WORD_FIRST,  LITTLE, 0x4433, 0x2211"
    })
    void thirtyTwoBitLayouts(WordOrder w, ByteOrder b, String first, String second) {
        Encoding e = Encoding.of(DataType.UINT32, w, b);
        int[] registers = {Integer.decode(first.strip()), Integer.decode(second.strip())};
        assertEquals(0x11223344L, e.decodeBits(registers, 0));
        assertArrayEquals(registers, e.encodeInteger(0x11223344L));
    }

    /** 64-bit layouts: high first is ABCDEFGH, low first reverses the four words. */
    @Test
    void sixtyFourBitLayouts() {
        long bits = 0x1122334455667788L;
        assertArrayEquals(new int[] {0x1122, 0x3344, 0x5566, 0x7788},
                Encoding.of(DataType.INT64, WordOrder.HIGH_WORD_FIRST, ByteOrder.BIG).encodeBits(bits));
        assertArrayEquals(new int[] {0x7788, 0x5566, 0x3344, 0x1122},
                Encoding.of(DataType.INT64, WordOrder.LOW_WORD_FIRST, ByteOrder.BIG).encodeBits(bits));
        assertArrayEquals(new int[] {0x8877, 0x6655, 0x4433, 0x2211},
                Encoding.of(DataType.INT64, WordOrder.LOW_WORD_FIRST, ByteOrder.LITTLE).encodeBits(bits));
        // IEEE 754 binary64 of pi is 0x400921fb54442d18.
        assertEquals(Math.PI, Encoding.of(DataType.FLOAT64).decodeNumber(new int[] {0x4009, 0x21fb, 0x5444, 0x2d18}, 0));
    }

    @Test
    void uint64BeyondLongRangeIsUnsigned() {
        Encoding u = Encoding.of(DataType.UINT64);
        int[] all = {0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF};
        assertEquals(new BigInteger("18446744073709551615"), u.decodeInteger(all, 0));
        assertEquals(1.8446744073709552E19, u.decodeNumber(all, 0));
        int[] topBit = {0x8000, 0, 0, 0};
        assertEquals(BigInteger.ONE.shiftLeft(63), u.decodeInteger(topBit, 0));
        assertEquals(0x1p63, u.decodeNumber(topBit, 0));
        // The same bits are -1 and Long.MIN_VALUE as int64.
        assertEquals(BigInteger.valueOf(-1), Encoding.of(DataType.INT64).decodeInteger(all, 0));
        assertEquals(BigInteger.valueOf(Long.MIN_VALUE), Encoding.of(DataType.INT64).decodeInteger(topBit, 0));
    }

    @Test
    void unsignedToDoubleRoundsLikeBigInteger() {
        Random random = new Random(11);
        for (int i = 0; i < 25_000; i++) {
            long bits = random.nextLong();
            // Also values just around rounding boundaries: low bits all ones or a single one.
            for (long b : new long[] {bits, bits | 0x7FF, bits & ~0x7FFL | 0x400, bits & ~0x7FFL | 0x401}) {
                assertEquals(new BigInteger(Long.toUnsignedString(b)).doubleValue(), Encoding.unsignedToDouble(b),
                        Long.toUnsignedString(b));
            }
        }
    }

    @Test
    void sixteenBitTypes() {
        assertEquals(BigInteger.valueOf(-32768), Encoding.of(DataType.INT16).decodeInteger(new int[] {0x8000}, 0));
        assertEquals(BigInteger.valueOf(-2), Encoding.of(DataType.SUNSSF).decodeInteger(new int[] {0xFFFE}, 0));
        assertEquals(BigInteger.valueOf(0xFFFE), Encoding.of(DataType.UINT16).decodeInteger(new int[] {0xFFFE}, 0));
        // Little byte order swaps the bytes of the register.
        assertEquals(BigInteger.valueOf(0x0201),
                Encoding.of(DataType.UINT16, WordOrder.HIGH_WORD_FIRST, ByteOrder.LITTLE).decodeInteger(new int[] {0x0102}, 0));
        assertEquals(BigInteger.valueOf(4_000_000_000L), Encoding.of(DataType.ACC32).decodeInteger(new int[] {0xEE6B, 0x2800}, 0));
    }

    @Test
    void stringsRoundTripInBothByteOrders() {
        Random random = new Random(3);
        for (ByteOrder b : ByteOrder.values()) {
            for (int width = 1; width <= 16; width++) {
                Encoding e = Encoding.string(width, b);
                for (int i = 0; i < 200; i++) {
                    StringBuilder text = new StringBuilder();
                    int length = random.nextInt(2 * width + 1);
                    for (int c = 0; c < length; c++) {
                        text.append((char) (0x20 + random.nextInt(0x5F)));
                    }
                    byte[] bytes = e.decodeBytes(e.encodeString(text.toString()), 0);
                    assertEquals(2 * width, bytes.length);
                    for (int c = 0; c < bytes.length; c++) {
                        assertEquals(c < length ? text.charAt(c) : 0, bytes[c], "byte " + c);
                    }
                }
            }
        }
        // "SunS" is 0x5375 0x6e53 big-endian (SunSpec well-known value).
        assertArrayEquals(new int[] {0x5375, 0x6e53}, Encoding.string(2, ByteOrder.BIG).encodeString("SunS"));
        assertArrayEquals(new int[] {0x7553, 0x536e}, Encoding.string(2, ByteOrder.LITTLE).encodeString("SunS"));
    }

    @Test
    void refusesStringsThatDoNotFit() {
        Encoding e = Encoding.string(2, ByteOrder.BIG);
        assertEquals("string: expected at most 4 characters, actual 5 ('SunSp')",
                assertThrows(IllegalArgumentException.class, () -> e.encodeString("SunSp")).getMessage());
        assertEquals("string: expected printable ASCII, actual character U+00E9 at index 1",
                assertThrows(IllegalArgumentException.class, () -> e.encodeString("Sé")).getMessage());
    }

    @Test
    void refusesInconsistentWidths() {
        assertThrows(IllegalArgumentException.class, () -> new Encoding(DataType.FLOAT32, 1, WordOrder.HIGH_WORD_FIRST, ByteOrder.BIG));
        assertThrows(IllegalArgumentException.class, () -> Encoding.string(0, ByteOrder.BIG));
        assertThrows(IllegalArgumentException.class, () -> Encoding.string(126, ByteOrder.BIG));
        assertThrows(IllegalArgumentException.class, () -> Encoding.of(DataType.STRING));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Encoding.of(DataType.UINT32).decodeBits(new int[] {0, 0x10000}, 0));
        assertEquals("registers[1]: expected 0..65535, actual 65536", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Encoding.of(DataType.UINT32).decodeBits(new int[] {0, 0}, 1));
    }

    private static int[] randomRegisters(Random random, int width) {
        int[] registers = new int[width];
        for (int i = 0; i < width; i++) {
            registers[i] = random.nextInt(0x10000);
        }
        return registers;
    }
}
