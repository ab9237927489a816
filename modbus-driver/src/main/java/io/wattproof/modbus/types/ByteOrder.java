package io.wattproof.modbus.types;

import java.util.Optional;

/**
 * Order of the two bytes inside each register as the device fills it. The Modbus specification
 * sends every register big-endian (Application Protocol V1.1b3 section 4.2), so {@link #BIG} is
 * what nearly every device does; a few put the low byte of each word first ({@link #LITTLE}), which
 * a master sees as every register byte-swapped. Independent of {@link WordOrder}: together they give
 * the four layouts of a 32-bit value ABCD, CDAB, BADC, DCBA.
 */
public enum ByteOrder {
    /** High byte first, as the specification says. */
    BIG("big"),
    /** Low byte first inside each register. */
    LITTLE("little");

    private final String fileName;

    ByteOrder(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }

    public static Optional<ByteOrder> fromFileName(String name) {
        for (ByteOrder o : values()) {
            if (o.fileName.equals(name)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The register as the device meant it: unchanged for {@link #BIG}, byte-swapped for {@link #LITTLE}. */
    int word(int register) {
        return this == BIG ? register : ((register & 0xFF) << 8) | (register >>> 8);
    }
}
