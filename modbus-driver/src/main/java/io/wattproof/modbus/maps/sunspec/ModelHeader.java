package io.wattproof.modbus.maps.sunspec;

import io.wattproof.modbus.pdu.Hex;

/**
 * One model of a SunSpec device's chain.
 *
 * @param id the model ID, 1..65534 (1 is the common model, 201..204 the meter models)
 * @param address PDU address of the model's ID register
 * @param length the model's L register: registers after ID and L
 */
public record ModelHeader(int id, int address, int length) {
    public ModelHeader {
        if (id < 1 || id > 0xFFFE || address < 0 || length < 0 || address + 2L + length > 0x10000) {
            throw new IllegalArgumentException("model header: expected id 1..65534 and registers within 0..65535, actual id "
                    + id + " at " + address + " length " + length);
        }
    }

    /** One past the model's last register: where the next model's ID register is. */
    public int end() {
        return address + 2 + length;
    }

    @Override
    public String toString() {
        return "model " + id + " at " + Hex.wordValue(address) + " (L " + length + ")";
    }
}
