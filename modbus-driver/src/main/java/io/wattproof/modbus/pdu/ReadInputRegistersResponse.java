package io.wattproof.modbus.pdu;

import java.util.Arrays;

/**
 * Read Input Registers response (section 6.4, FC 04). Holds a private copy of the register values
 * (each 0..65535); {@link #registers()} returns a fresh copy.
 */
public record ReadInputRegistersResponse(int[] registers) implements ReadRegistersResponse {
    public ReadInputRegistersResponse {
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
        return FunctionCode.READ_INPUT_REGISTERS.code();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadInputRegistersResponse other && Arrays.equals(registers, other.registers);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(registers);
    }

    @Override
    public String toString() {
        return "ReadInputRegistersResponse[registers=" + Checks.registersToString(registers) + "]";
    }
}
