package io.wattproof.modbus.pdu;

/**
 * Write Single Register request (section 6.6, FC 06): function code (1 byte), register address (2
 * bytes, 0x0000..0xffff), register value (2 bytes, 0x0000..0xffff). The normal response echoes all
 * five bytes ({@link WriteSingleRegisterResponse}).
 *
 * @param address the holding register, 0..65535 (PDU address: register 40001 is address 0)
 * @param value the value to write, 0..65535
 */
public record WriteSingleRegisterRequest(int address, int value) implements ModbusRequest {
    public WriteSingleRegisterRequest {
        Checks.requireWord("address", address);
        Checks.requireWord("value", value);
    }

    @Override
    public FunctionCode functionCode() {
        return FunctionCode.WRITE_SINGLE_REGISTER;
    }

    /** The response a server sends once the register holds {@link #value()}: the echo. */
    public WriteSingleRegisterResponse echo() {
        return new WriteSingleRegisterResponse(address, value);
    }

    @Override
    public String toString() {
        return "WriteSingleRegisterRequest[address=" + Hex.wordValue(address) + ", value=" + Hex.wordValue(value) + "]";
    }
}
