package io.wattproof.modbus.slave;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.FunctionCode;

/**
 * The registers a {@link ModbusTcpSlave} serves. Called from one thread per connection, so
 * implementations must be thread-safe, and should return a consistent snapshot of the range (a
 * float32 must not be torn between two updates).
 */
@FunctionalInterface
public interface RegisterBank {

    /**
     * Reads {@code quantity} registers from {@code address} of the table {@code function} reads
     * (holding registers for FC 03, input registers for FC 04). The slave has already checked
     * {@code 1 <= quantity <= 125} and {@code address + quantity <= 65536}.
     *
     * @return exactly {@code quantity} values, each 0..65535 (anything else is answered with
     *     exception code 0x04, server device failure)
     * @throws ModbusExceptionResponse to answer with that exception response, typically {@link
     *     io.wattproof.modbus.pdu.ExceptionCode#ILLEGAL_DATA_ADDRESS} for a range the device does not
     *     map, or {@link io.wattproof.modbus.pdu.ExceptionCode#ILLEGAL_FUNCTION} for a table it does
     *     not have
     */
    int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse;
}
