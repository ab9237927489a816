package io.wattproof.modbus.types;

import java.util.Optional;

/**
 * How a value wider than one register is spread over consecutive registers. The Modbus
 * specification does not say (Application Protocol V1.1b3 fixes only the byte order inside a
 * register), so devices differ.
 *
 * <p>For 64-bit values the same rule holds for all four words: high first is ABCDEFGH (most
 * significant word in the lowest address), low first is GHEFCDAB (the word order fully reversed).
 */
public enum WordOrder {
    /** Most significant word in the lowest register address ("ABCD"). Eastron, SunSpec; the default. */
    HIGH_WORD_FIRST("high_first"),
    /** Least significant word in the lowest register address ("CDAB", word-swapped). */
    LOW_WORD_FIRST("low_first");

    private final String fileName;

    WordOrder(String fileName) {
        this.fileName = fileName;
    }

    /** The name used in map files, {@code high_first} or {@code low_first}. */
    public String fileName() {
        return fileName;
    }

    public static Optional<WordOrder> fromFileName(String name) {
        for (WordOrder o : values()) {
            if (o.fileName.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
