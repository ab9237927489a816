package io.wattproof.modbus.pdu;

/** Read Holding Registers request (section 6.3, FC 03); see {@link ReadRegistersRequest} for ranges. */
public record ReadHoldingRegistersRequest(int address, int quantity) implements ReadRegistersRequest {
    public ReadHoldingRegistersRequest {
        Checks.requireReadRange(address, quantity);
    }

    @Override
    public FunctionCode functionCode() {
        return FunctionCode.READ_HOLDING_REGISTERS;
    }
}
