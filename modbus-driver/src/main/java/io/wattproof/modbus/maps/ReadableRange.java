package io.wattproof.modbus.maps;

import io.wattproof.modbus.pdu.Hex;
import java.util.Objects;

/**
 * Registers {@code from..to} (inclusive) of one table that the device answers in a single request
 * even where the map lists no value: the read planner may read across unused registers only inside
 * such a range. Many meters answer unmapped addresses with exception 0x02 (illegal data address,
 * Application Protocol V1.1b3 section 7), so without a range only touching values are merged.
 */
public record ReadableRange(RegisterTable table, int from, int to) {
    public ReadableRange {
        Objects.requireNonNull(table, "table");
        if (from < 0 || to > 0xFFFF || from > to) {
            throw new IllegalArgumentException("readable range: expected 0 <= from <= to <= 65535, actual "
                    + from + ".." + to);
        }
    }

    /** True if registers {@code address .. address + width - 1} of {@code table} lie inside. */
    public boolean contains(RegisterTable table, int address, int width) {
        return this.table == table && address >= from && address + width - 1 <= to;
    }

    public boolean overlaps(ReadableRange other) {
        return table == other.table && from <= other.to && other.from <= to;
    }

    @Override
    public String toString() {
        return table.fileName() + " " + Hex.wordValue(from) + ".." + Hex.wordValue(to);
    }
}
