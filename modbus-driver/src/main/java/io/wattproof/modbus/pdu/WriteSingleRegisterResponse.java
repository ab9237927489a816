package io.wattproof.modbus.pdu;

/**
 * Write Single Register response (section 6.6, FC 06): an echo of the request, sent after the
 * register has been written. A client checks that both fields equal its request's.
 *
 * @param address the register written, 0..65535
 * @param value the value written, 0..65535
 */
public record WriteSingleRegisterResponse(int address, int value) implements ModbusResponse {
    public WriteSingleRegisterResponse {
        Checks.requireWord("address", address);
        Checks.requireWord("value", value);
    }

    @Override
    public int functionCode() {
        return FunctionCode.WRITE_SINGLE_REGISTER.code();
    }

    @Override
    public String toString() {
        return "WriteSingleRegisterResponse[address=" + Hex.wordValue(address) + ", value=" + Hex.wordValue(value) + "]";
    }
}
