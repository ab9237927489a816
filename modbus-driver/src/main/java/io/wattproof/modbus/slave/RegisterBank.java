package io.wattproof.modbus.slave;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import java.util.Optional;

/**
 * The registers and identification a Modbus slave serves. Called from one thread per connection,
 * so implementations must be thread-safe, and should return a consistent snapshot of the range (a
 * float32 must not be torn between two updates).
 *
 * <p>Only {@link #read} must be implemented: a meter's measured values are read-only, so by default
 * writes are refused and FC 43 is not offered, both with exception code 0x01 (illegal function).
 */
@FunctionalInterface
public interface RegisterBank {

    /**
     * Reads {@code quantity} registers from {@code address} of the table {@code function} reads
     * (holding registers for FC 03, input registers for FC 04; never called with another function).
     * The slave has already checked {@code 1 <= quantity <= 125} and {@code address + quantity <=
     * 65536}.
     *
     * @return exactly {@code quantity} values, each 0..65535 (anything else is answered with
     *     exception code 0x04, server device failure)
     * @throws ModbusExceptionResponse to answer with that exception response, typically {@link
     *     io.wattproof.modbus.pdu.ExceptionCode#ILLEGAL_DATA_ADDRESS} for a range the device does not
     *     map, or {@link io.wattproof.modbus.pdu.ExceptionCode#ILLEGAL_FUNCTION} for a table it does
     *     not have
     */
    int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse;

    /**
     * Writes {@code values} to the holding registers from {@code address} (FC 06 with one value,
     * FC 16 with 1..123). The slave has already checked the quantity and {@code address +
     * values.length <= 65536}; the bank decides whether the registers exist (0x02) and accept the
     * values (0x03), and writes all of them or none. The slave answers with the exception code the
     * bank throws, under the request's function code.
     *
     * <p>Default: refused with 0x01 (illegal function), as by a meter whose registers are read-only.
     *
     * @param values 1..123 values, each 0..65535; the bank may keep the array
     */
    default void write(int address, int[] values) throws ModbusExceptionResponse {
        throw new ModbusExceptionResponse(FunctionCode.WRITE_MULTIPLE_REGISTERS.code(), ExceptionCode.ILLEGAL_FUNCTION);
    }

    /**
     * The identification objects served by FC 43 / MEI 0x0e (section 6.21); read for each request.
     * Default: empty, and FC 43 is answered with 0x01 (illegal function).
     */
    default Optional<DeviceIdentification> identification() {
        return Optional.empty();
    }
}
