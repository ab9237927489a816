package io.wattproof.modbus.pdu;

/**
 * FC 03 and FC 04 share one request layout (sections 6.3 and 6.4): function code (1 byte),
 * starting address (2 bytes, 0x0000..0xffff), quantity of registers (2 bytes, 1..125).
 */
public sealed interface ReadRegistersRequest extends ModbusRequest
        permits ReadHoldingRegistersRequest, ReadInputRegistersRequest {

    /** 125 registers = 250 data bytes, the most a 253-byte PDU can carry after FC and byte count. */
    int MAX_QUANTITY = 125;

    /** Registers are addressed 0x0000..0xffff (section 4.4): 65536 of them per table. */
    int ADDRESS_SPACE = 0x10000;

    /** First register, 0..65535 (the PDU address: register number 30001 is address 0). */
    int address();

    /** Number of registers, 1..125; {@code address + quantity <= 65536}. */
    int quantity();

    /** @throws IllegalArgumentException for a function other than FC 03 and FC 04 */
    static ReadRegistersRequest of(FunctionCode function, int address, int quantity) {
        return switch (function) {
            case READ_HOLDING_REGISTERS -> new ReadHoldingRegistersRequest(address, quantity);
            case READ_INPUT_REGISTERS -> new ReadInputRegistersRequest(address, quantity);
            default -> throw new IllegalArgumentException(
                    "function: expected FC 03 or FC 04, actual " + Hex.byteValue(function.code()));
        };
    }
}
