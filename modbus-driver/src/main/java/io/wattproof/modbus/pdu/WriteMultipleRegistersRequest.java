package io.wattproof.modbus.pdu;

import java.util.Arrays;

/**
 * Write Multiple Registers request (section 6.12, FC 16): function code (1 byte), starting address
 * (2 bytes), quantity of registers (2 bytes, 1..123), byte count (1 byte, 2 x quantity), then the
 * values, two bytes each, high byte first. Holds a private copy of the values; {@link #values()}
 * returns a fresh copy.
 *
 * @param address the first holding register, 0..65535; {@code address + quantity <= 65536}
 * @param values 1..123 values, each 0..65535
 */
public record WriteMultipleRegistersRequest(int address, int[] values) implements ModbusRequest {
    /**
     * Section 6.12: at most 0x7b = 123 registers, the most that fit in a 253-byte PDU after function
     * code, address, quantity and byte count (6 + 2 x 123 = 252 bytes).
     */
    public static final int MAX_QUANTITY = 123;

    public WriteMultipleRegistersRequest {
        values = Checks.writeValues(values);
        Checks.requireWriteRange(address, values.length);
    }

    @Override
    public int[] values() {
        return values.clone();
    }

    /** The number of registers written, 1..123. */
    public int quantity() {
        return values.length;
    }

    @Override
    public FunctionCode functionCode() {
        return FunctionCode.WRITE_MULTIPLE_REGISTERS;
    }

    /** The response a server sends once the registers hold the values. */
    public WriteMultipleRegistersResponse expectedResponse() {
        return new WriteMultipleRegistersResponse(address, values.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WriteMultipleRegistersRequest other
                && address == other.address
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * address + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "WriteMultipleRegistersRequest[address=" + Hex.wordValue(address) + ", values="
                + Checks.registersToString(values) + "]";
    }
}
