package io.wattproof.modbus.types;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a value is stored in one or more consecutive 16-bit registers. The names are the ones a
 * register map file uses ({@code type: float32}).
 *
 * <p>{@link #SUNSSF} and {@link #ACC32} are the SunSpec Information Model types "sunssf" (a signed
 * 16-bit power-of-ten exponent, valid range -10..10) and "acc32" (an unsigned 32-bit accumulator
 * that only counts up and wraps). {@link #STRING} is ASCII, two characters per register, padded
 * with NUL; its width is given by the map, not by the type.
 */
public enum DataType {
    INT16("int16", 1, Kind.SIGNED),
    UINT16("uint16", 1, Kind.UNSIGNED),
    INT32("int32", 2, Kind.SIGNED),
    UINT32("uint32", 2, Kind.UNSIGNED),
    INT64("int64", 4, Kind.SIGNED),
    UINT64("uint64", 4, Kind.UNSIGNED),
    FLOAT32("float32", 2, Kind.FLOAT),
    FLOAT64("float64", 4, Kind.FLOAT),
    SUNSSF("sunssf", 1, Kind.SIGNED),
    ACC32("acc32", 2, Kind.UNSIGNED),
    STRING("string", 0, Kind.TEXT);

    /** What the bits of a value mean. */
    public enum Kind {
        /** Two's complement integer. */
        SIGNED,
        /** Unsigned integer (uint64 goes beyond {@code long}). */
        UNSIGNED,
        /** IEEE 754 binary32 or binary64. */
        FLOAT,
        /** ASCII characters. */
        TEXT
    }

    private final String fileName;
    private final int width;
    private final Kind kind;

    DataType(String fileName, int width, Kind kind) {
        this.fileName = fileName;
        this.width = width;
        this.kind = kind;
    }

    /** The name used in map files, e.g. {@code "float32"}. */
    public String fileName() {
        return fileName;
    }

    /** Registers one value occupies, 1, 2 or 4; 0 for {@link #STRING}, whose width the map gives. */
    public int width() {
        return width;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isNumeric() {
        return kind != Kind.TEXT;
    }

    public boolean isInteger() {
        return kind == Kind.SIGNED || kind == Kind.UNSIGNED;
    }

    /** The type a map file names, compared exactly (type names are lowercase). */
    public static Optional<DataType> fromFileName(String name) {
        for (DataType t : values()) {
            if (t.fileName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** {@code "int16, uint16, ..."}, for error messages. */
    public static String fileNames() {
        return Arrays.stream(values()).map(DataType::fileName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return fileName;
    }
}
