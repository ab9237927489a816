package io.wattproof.modbus.maps;

import io.wattproof.modbus.pdu.Hex;
import java.util.List;
import java.util.Objects;

/**
 * One FC 03 or FC 04 request of a {@link ReadPlan}: {@code quantity} registers from {@code address}
 * of {@code table}, covering the named values entirely.
 */
public record PlannedRead(RegisterTable table, int address, int quantity, List<String> values) {
    public PlannedRead {
        Objects.requireNonNull(table, "table");
        values = List.copyOf(values);
        // Application Protocol V1.1b3 sections 6.3/6.4: 1..125 registers, all at or below 65535.
        if (quantity < 1 || quantity > 125 || address < 0 || address + quantity > 0x10000) {
            throw new IllegalArgumentException("read: expected 1..125 registers within 0..65535, actual "
                    + quantity + " from " + address);
        }
    }

    /** One past the last register. */
    public int end() {
        return address + quantity;
    }

    public RegisterBlock block() {
        return new RegisterBlock(address, quantity);
    }

    @Override
    public String toString() {
        return table.fileName() + " " + Hex.wordValue(address) + " x" + quantity + " " + values;
    }
}
