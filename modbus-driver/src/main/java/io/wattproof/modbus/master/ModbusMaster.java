package io.wattproof.modbus.master;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadHoldingRegistersRequest;
import io.wattproof.modbus.pdu.ReadHoldingRegistersResponse;
import io.wattproof.modbus.pdu.ReadInputRegistersRequest;
import io.wattproof.modbus.pdu.ReadInputRegistersResponse;
import io.wattproof.modbus.pdu.Violation;

/**
 * A Modbus client. Implementations are thread-safe; whether they run requests concurrently or one
 * at a time is theirs to say.
 */
public interface ModbusMaster extends AutoCloseable {

    /**
     * Sends {@code request} to {@code unitId} and returns the response that answers it: same
     * function code, and for reads exactly the requested number of registers. Never returns an
     * {@link io.wattproof.modbus.pdu.ExceptionResponse}: that is thrown as {@link
     * io.wattproof.modbus.ModbusExceptionResponse}.
     *
     * @param unitId 0..255 (0 is broadcast on serial lines; on TCP a gateway routes by it)
     */
    ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException;

    /** FC 03: {@code quantity} holding registers from {@code address}, each 0..65535. */
    default int[] readHoldingRegisters(int unitId, int address, int quantity) throws ModbusException {
        ModbusResponse response = execute(unitId, new ReadHoldingRegistersRequest(address, quantity));
        if (response instanceof ReadHoldingRegistersResponse r) {
            return r.registers();
        }
        throw unexpected("ReadHoldingRegistersResponse", response);
    }

    /** FC 04: {@code quantity} input registers from {@code address}, each 0..65535. */
    default int[] readInputRegisters(int unitId, int address, int quantity) throws ModbusException {
        ModbusResponse response = execute(unitId, new ReadInputRegistersRequest(address, quantity));
        if (response instanceof ReadInputRegistersResponse r) {
            return r.registers();
        }
        throw unexpected("ReadInputRegistersResponse", response);
    }

    /** Closes the connection; later calls fail with {@link io.wattproof.modbus.ModbusIoException}. */
    @Override
    void close();

    private static ModbusProtocolException unexpected(String expected, ModbusResponse actual) {
        return new ModbusProtocolException(new Violation("response type", expected, String.valueOf(actual), ""));
    }
}
