package io.wattproof.modbus.types;

import java.math.BigInteger;
import java.util.Objects;

/**
 * How one value sits in consecutive registers: its type, how many registers it spans, and the word
 * and byte order. Pure conversions both ways: {@code decode*} take register values as a master
 * returns them (each 0..65535), {@code encode*} give the registers a device would send.
 *
 * <p>Decoding never fails on register values in range: every bit pattern is some number (a float
 * NaN or infinity is returned as such, for the caller to refuse). A register outside 0..65535 or an
 * offset outside the array is a programming error and throws. Encoding checks the value fits the
 * type and throws {@link IllegalArgumentException} otherwise: it serves simulators and tests, whose
 * values are ours, not a device's.
 *
 * @param type what the bits mean
 * @param width registers spanned: {@link DataType#width()} for numbers, 1..125 for {@link
 *     DataType#STRING} (a string can be read in one request at most)
 * @param wordOrder order of the registers of a 32- or 64-bit value (ignored for one register and
 *     for strings, whose characters follow the register addresses)
 * @param byteOrder order of the two bytes inside each register
 */
public record Encoding(DataType type, int width, WordOrder wordOrder, ByteOrder byteOrder) {
    /** FC 03/04 read at most 125 registers (Application Protocol V1.1b3 sections 6.3, 6.4). */
    public static final int MAX_STRING_REGISTERS = 125;

    public Encoding {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(wordOrder, "wordOrder");
        Objects.requireNonNull(byteOrder, "byteOrder");
        if (type == DataType.STRING) {
            if (width < 1 || width > MAX_STRING_REGISTERS) {
                throw new IllegalArgumentException("string registers: expected 1..125, actual " + width);
            }
        } else if (width != type.width()) {
            throw new IllegalArgumentException(type + " width: expected " + type.width() + ", actual " + width);
        }
    }

    /** A numeric type in its natural width. */
    public static Encoding of(DataType type, WordOrder wordOrder, ByteOrder byteOrder) {
        if (type == DataType.STRING) {
            throw new IllegalArgumentException("type: a string needs a register count, use Encoding.string");
        }
        return new Encoding(type, type.width(), wordOrder, byteOrder);
    }

    /** Big-endian bytes, high word first: the Modbus default and what SunSpec prescribes. */
    public static Encoding of(DataType type) {
        return of(type, WordOrder.HIGH_WORD_FIRST, ByteOrder.BIG);
    }

    public static Encoding string(int registers, ByteOrder byteOrder) {
        return new Encoding(DataType.STRING, registers, WordOrder.HIGH_WORD_FIRST, byteOrder);
    }

    /**
     * The value's bits as one unsigned number of {@code 16 * width} bits (16, 32 or 64; 64-bit
     * patterns fill the whole {@code long}), word and byte order undone.
     */
    public long decodeBits(int[] registers, int offset) {
        requireNumeric();
        Objects.checkFromIndexSize(offset, width, registers.length);
        long bits = 0;
        for (int i = 0; i < width; i++) {
            int index = wordOrder == WordOrder.HIGH_WORD_FIRST ? offset + i : offset + width - 1 - i;
            bits = (bits << 16) | byteOrder.word(checked(registers, index));
        }
        return bits;
    }

    /** The registers holding {@code bits} (the low {@code 16 * width} bits are used). */
    public int[] encodeBits(long bits) {
        requireNumeric();
        int[] registers = new int[width];
        for (int i = 0; i < width; i++) {
            // Word i counts from the most significant one.
            int word = (int) (bits >>> (16 * (width - 1 - i))) & 0xFFFF;
            int index = wordOrder == WordOrder.HIGH_WORD_FIRST ? i : width - 1 - i;
            registers[index] = byteOrder.word(word);
        }
        return registers;
    }

    /** The exact value of an integer type (uint64 may exceed {@code Long.MAX_VALUE}). */
    public BigInteger decodeInteger(int[] registers, int offset) {
        requireInteger();
        long bits = decodeBits(registers, offset);
        if (type.kind() == DataType.Kind.SIGNED) {
            return BigInteger.valueOf(signExtend(bits));
        }
        return width == 4 && bits < 0 ? new BigInteger(Long.toUnsignedString(bits)) : BigInteger.valueOf(bits);
    }

    /**
     * The value of any numeric type as a double: exact for 8-, 16- and 32-bit integers and floats,
     * correctly rounded for 64-bit integers beyond 2^53 (uint64 included, read as unsigned).
     */
    public double decodeNumber(int[] registers, int offset) {
        long bits = decodeBits(registers, offset);
        return switch (type.kind()) {
            case FLOAT -> width == 2 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
            case SIGNED -> signExtend(bits);
            case UNSIGNED -> unsignedToDouble(bits);
            case TEXT -> throw new IllegalStateException("unreachable: requireNumeric");
        };
    }

    /**
     * The {@code 2 * width} bytes of a string in the order the device meant them (high byte of each
     * register first unless the byte order is little).
     */
    public byte[] decodeBytes(int[] registers, int offset) {
        requireString();
        Objects.checkFromIndexSize(offset, width, registers.length);
        byte[] bytes = new byte[2 * width];
        for (int i = 0; i < width; i++) {
            int word = byteOrder.word(checked(registers, offset + i));
            bytes[2 * i] = (byte) (word >>> 8);
            bytes[2 * i + 1] = (byte) word;
        }
        return bytes;
    }

    /** The registers holding {@code value}, which must lie in {@link #min()}..{@link #max()}. */
    public int[] encodeInteger(BigInteger value) {
        requireInteger();
        Objects.requireNonNull(value, "value");
        if (value.compareTo(min()) < 0 || value.compareTo(max()) > 0) {
            throw new IllegalArgumentException(type + " value: expected " + range() + ", actual " + value);
        }
        return encodeBits(value.longValue()); // two's complement low 64 bits, also right for uint64
    }

    public int[] encodeInteger(long value) {
        return encodeInteger(BigInteger.valueOf(value));
    }

    /**
     * The registers holding {@code value} as float32 (rounded to nearest) or float64. NaN and
     * infinities are encoded as such, so a simulator can play a faulty meter; a finite value beyond
     * float32 range is refused rather than turned into an infinity.
     */
    public int[] encodeFloat(double value) {
        if (type.kind() != DataType.Kind.FLOAT) {
            throw new IllegalArgumentException("type: expected float32 or float64, actual " + type);
        }
        if (width == 2) {
            float f = (float) value;
            if (Double.isFinite(value) && Float.isInfinite(f)) {
                throw new IllegalArgumentException("float32 value: expected a finite value within +-3.4028235E38, actual " + value);
            }
            return encodeBits(Integer.toUnsignedLong(Float.floatToRawIntBits(f)));
        }
        return encodeBits(Double.doubleToRawLongBits(value));
    }

    /**
     * The registers holding {@code text}: printable ASCII (0x20..0x7e), at most {@code 2 * width}
     * characters, padded with NUL bytes.
     */
    public int[] encodeString(String text) {
        requireString();
        Objects.requireNonNull(text, "text");
        if (text.length() > 2 * width) {
            throw new IllegalArgumentException("string: expected at most " + 2 * width + " characters, actual "
                    + text.length() + " ('" + text + "')");
        }
        byte[] bytes = new byte[2 * width];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("string: expected printable ASCII, actual character "
                        + String.format("U+%04X", (int) c) + " at index " + i);
            }
            bytes[i] = (byte) c;
        }
        int[] registers = new int[width];
        for (int i = 0; i < width; i++) {
            registers[i] = byteOrder.word(((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF));
        }
        return registers;
    }

    /** Smallest value of an integer type. */
    public BigInteger min() {
        requireInteger();
        return type.kind() == DataType.Kind.SIGNED ? BigInteger.ONE.shiftLeft(16 * width - 1).negate() : BigInteger.ZERO;
    }

    /** Largest value of an integer type. */
    public BigInteger max() {
        requireInteger();
        int bits = type.kind() == DataType.Kind.SIGNED ? 16 * width - 1 : 16 * width;
        return BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    }

    /** {@code "-32768..32767"}, for messages. */
    public String range() {
        return min() + ".." + max();
    }

    /** Largest raw bit pattern, {@code 2^(16 * width) - 1}, as unsigned. */
    public BigInteger maxBits() {
        requireNumeric();
        return BigInteger.ONE.shiftLeft(16 * width).subtract(BigInteger.ONE);
    }

    /** The unsigned 64-bit number {@code bits} as the nearest double. */
    static double unsignedToDouble(long bits) {
        if (bits >= 0) {
            return bits;
        }
        // Halve keeping the lowest bit as a sticky bit, so that the single rounding in the long to
        // double conversion is the correct one for the full 64-bit value; doubling is then exact.
        return ((double) ((bits >>> 1) | (bits & 1))) * 2.0;
    }

    private long signExtend(long bits) {
        int shift = 64 - 16 * width;
        return (bits << shift) >> shift;
    }

    private void requireNumeric() {
        if (!type.isNumeric()) {
            throw new IllegalArgumentException("type: expected a numeric type, actual string");
        }
    }

    private void requireInteger() {
        if (!type.isInteger()) {
            throw new IllegalArgumentException("type: expected an integer type, actual " + type);
        }
    }

    private void requireString() {
        if (type != DataType.STRING) {
            throw new IllegalArgumentException("type: expected string, actual " + type);
        }
    }

    private static int checked(int[] registers, int index) {
        int r = registers[index];
        if (r < 0 || r > 0xFFFF) {
            throw new IllegalArgumentException("registers[" + index + "]: expected 0..65535, actual " + r);
        }
        return r;
    }
}
