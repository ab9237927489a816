package io.wattproof.modbus.pdu;

/**
 * FC 03 and FC 04 share one response layout (sections 6.3 and 6.4): function code (1 byte),
 * byte count N = 2 x quantity (1 byte), then N bytes holding the registers, each big-endian
 * (section 4.2: high byte first).
 */
public sealed interface ReadRegistersResponse extends ModbusResponse
        permits ReadHoldingRegistersResponse, ReadInputRegistersResponse {

    /** A copy of the register values, each an unsigned 16-bit value 0..65535. */
    int[] registers();

    /** The number of registers, 1..125. */
    int quantity();

    /** @throws IllegalArgumentException for a function other than FC 03 and FC 04 */
    static ReadRegistersResponse of(FunctionCode function, int[] registers) {
        return switch (function) {
            case READ_HOLDING_REGISTERS -> new ReadHoldingRegistersResponse(registers);
            case READ_INPUT_REGISTERS -> new ReadInputRegistersResponse(registers);
            default -> throw new IllegalArgumentException(
                    "function: expected FC 03 or FC 04, actual " + Hex.byteValue(function.code()));
        };
    }
}
