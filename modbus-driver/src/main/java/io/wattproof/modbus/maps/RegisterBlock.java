package io.wattproof.modbus.maps;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A contiguous range of registers read with one request.
 *
 * @param address first register, 0..65535
 * @param quantity 1..125 (the FC 03/04 limit)
 */
public record RegisterBlock(int address, int quantity) {
    public RegisterBlock {
        if (quantity < 1 || quantity > 125) {
            throw new IllegalArgumentException("quantity: expected 1..125, actual " + quantity);
        }
        if (address < 0 || address + quantity > 0x10000) {
            throw new IllegalArgumentException("address: expected 0..65535 with address + quantity <= 65536, actual "
                    + address + " + " + quantity);
        }
    }

    /** One past the last register. */
    public int end() {
        return address + quantity;
    }

    public boolean contains(int register) {
        return register >= address && register < end();
    }

    /**
     * The fewest blocks covering the ranges {@code [address, address + width)}, merging only ranges
     * that touch or overlap: reading across a gap would touch registers a device may not map.
     */
    public static List<RegisterBlock> covering(List<RegisterBlock> ranges) {
        List<RegisterBlock> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(RegisterBlock::address));
        List<RegisterBlock> blocks = new ArrayList<>();
        for (RegisterBlock r : sorted) {
            if (!blocks.isEmpty()) {
                RegisterBlock last = blocks.get(blocks.size() - 1);
                int mergedEnd = Math.max(last.end(), r.end());
                if (r.address() <= last.end() && mergedEnd - last.address() <= 125) {
                    blocks.set(blocks.size() - 1, new RegisterBlock(last.address(), mergedEnd - last.address()));
                    continue;
                }
            }
            blocks.add(r);
        }
        return List.copyOf(blocks);
    }
}
