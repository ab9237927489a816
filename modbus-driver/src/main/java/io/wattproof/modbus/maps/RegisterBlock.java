package io.wattproof.modbus.maps;

/**
 * A contiguous range of registers read with one request.
 *
 * @param address first register, 0..65535
 * @param quantity 1..125 (the FC 03/04 limit, Application Protocol V1.1b3 sections 6.3, 6.4)
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
}
