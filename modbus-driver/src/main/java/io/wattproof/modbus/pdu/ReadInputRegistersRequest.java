package io.wattproof.modbus.pdu;

/** Read Input Registers request (section 6.4, FC 04); see {@link ReadRegistersRequest} for ranges. */
public record ReadInputRegistersRequest(int address, int quantity) implements ReadRegistersRequest {
    public ReadInputRegistersRequest {
        Checks.requireReadRange(address, quantity);
    }

    @Override
    public FunctionCode functionCode() {
        return FunctionCode.READ_INPUT_REGISTERS;
    }
}
