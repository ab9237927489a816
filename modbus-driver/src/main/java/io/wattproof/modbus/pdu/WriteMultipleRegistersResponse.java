package io.wattproof.modbus.pdu;

/**
 * Write Multiple Registers response (section 6.12, FC 16): function code, starting address (2
 * bytes) and quantity of registers written (2 bytes). A client checks both against its request.
 *
 * @param address the first register written, 0..65535
 * @param quantity the number of registers written, 1..123; {@code address + quantity <= 65536}
 */
public record WriteMultipleRegistersResponse(int address, int quantity) implements ModbusResponse {
    public WriteMultipleRegistersResponse {
        Checks.requireWriteRange(address, quantity);
    }

    @Override
    public int functionCode() {
        return FunctionCode.WRITE_MULTIPLE_REGISTERS.code();
    }

    @Override
    public String toString() {
        return "WriteMultipleRegistersResponse[address=" + Hex.wordValue(address) + ", quantity=" + quantity + "]";
    }
}
