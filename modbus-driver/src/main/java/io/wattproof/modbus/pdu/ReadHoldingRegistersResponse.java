package io.wattproof.modbus.pdu;

import java.util.Arrays;

/**
 * Read Holding Registers response (section 6.3, FC 03). Holds a private copy of the register values
 * (each 0..65535); {@link #registers()} returns a fresh copy.
 */
public record ReadHoldingRegistersResponse(int[] registers) implements ReadRegistersResponse {
    public ReadHoldingRegistersResponse {
        registers = Checks.registers(registers);
    }

    @Override
    public int[] registers() {
        return registers.clone();
    }

    @Override
    public int quantity() {
        return registers.length;
    }

    @Override
    public int functionCode() {
        return FunctionCode.READ_HOLDING_REGISTERS.code();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadHoldingRegistersResponse other && Arrays.equals(registers, other.registers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(registers);
    }

    @Override
    public String toString() {
        return "ReadHoldingRegistersResponse[registers=" + Checks.registersToString(registers) + "]";
    }
}
