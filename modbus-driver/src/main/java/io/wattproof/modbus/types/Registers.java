package io.wattproof.modbus.types;

import java.util.Objects;

/**
 * Conversions between register values (unsigned 16-bit, 0..65535, as {@code int}) and the
 * numbers they encode. Pure functions; a register value outside 0..65535 is a programming error
 * and throws {@link IllegalArgumentException}.
 *
 * <p>Float conversion keeps the raw bits ({@link Float#intBitsToFloat}): a NaN or infinity sent by
 * a device is returned as such, and it is for the caller (e.g. a register map) to refuse it.
 */
public final class Registers {
    public static final WordOrder DEFAULT_WORD_ORDER = WordOrder.HIGH_WORD_FIRST;

    private Registers() {}

    /** The register value itself, checked to be 0..65535. */
    public static int uint16(int register) {
        return checked(register, "register");
    }

    /** Two's complement signed 16-bit value, -32768..32767. */
    public static int int16(int register) {
        return (short) checked(register, "register");
    }

    public static int uint16(int[] registers, int index) {
        return uint16(registers[index]);
    }

    public static int int16(int[] registers, int index) {
        return int16(registers[index]);
    }

    /** Unsigned 32-bit value, 0..4294967295, from {@code registers[index]} and {@code registers[index + 1]}. */
    public static long uint32(int[] registers, int index, WordOrder order) {
        return Integer.toUnsignedLong(int32(registers, index, order));
    }

    /** Signed 32-bit value from {@code registers[index]} and {@code registers[index + 1]}. */
    public static int int32(int[] registers, int index, WordOrder order) {
        Objects.requireNonNull(order, "order");
        Objects.checkFromIndexSize(index, 2, registers.length);
        int first = checked(registers[index], "registers[" + index + "]");
        int second = checked(registers[index + 1], "registers[" + (index + 1) + "]");
        return switch (order) {
            case HIGH_WORD_FIRST -> (first << 16) | second;
            case LOW_WORD_FIRST -> (second << 16) | first;
        };
    }

    /** IEEE 754 single precision from two registers; NaN and infinities are returned unchanged. */
    public static float float32(int[] registers, int index, WordOrder order) {
        return Float.intBitsToFloat(int32(registers, index, order));
    }

    public static long uint32(int[] registers, int index) {
        return uint32(registers, index, DEFAULT_WORD_ORDER);
    }

    public static int int32(int[] registers, int index) {
        return int32(registers, index, DEFAULT_WORD_ORDER);
    }

    public static float float32(int[] registers, int index) {
        return float32(registers, index, DEFAULT_WORD_ORDER);
    }

    /** The register holding a signed 16-bit value, -32768..32767. */
    public static int fromInt16(int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("value: expected -32768..32767, actual " + value);
        }
        return value & 0xFFFF;
    }

    /** The two registers holding a 32-bit value (signed or unsigned: the bits are the same). */
    public static int[] fromInt32(int value, WordOrder order) {
        Objects.requireNonNull(order, "order");
        int high = value >>> 16;
        int low = value & 0xFFFF;
        return switch (order) {
            case HIGH_WORD_FIRST -> new int[] {high, low};
            case LOW_WORD_FIRST -> new int[] {low, high};
        };
    }

    public static int[] fromUint32(long value, WordOrder order) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("value: expected 0..4294967295, actual " + value);
        }
        return fromInt32((int) value, order);
    }

    /** The two registers holding {@code value}'s raw IEEE 754 bits (NaN payloads preserved). */
    public static int[] fromFloat32(float value, WordOrder order) {
        return fromInt32(Float.floatToRawIntBits(value), order);
    }

    public static int[] fromFloat32(float value) {
        return fromFloat32(value, DEFAULT_WORD_ORDER);
    }

    private static int checked(int register, String name) {
        if (register < 0 || register > 0xFFFF) {
            throw new IllegalArgumentException(name + ": expected 0..65535, actual " + register);
        }
        return register;
    }
}
