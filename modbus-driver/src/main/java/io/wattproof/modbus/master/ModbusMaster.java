package io.wattproof.modbus.master;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.DeviceIdentificationStream;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadDeviceIdCode;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationResponse;
import io.wattproof.modbus.pdu.ReadHoldingRegistersRequest;
import io.wattproof.modbus.pdu.ReadHoldingRegistersResponse;
import io.wattproof.modbus.pdu.ReadInputRegistersRequest;
import io.wattproof.modbus.pdu.ReadInputRegistersResponse;
import io.wattproof.modbus.pdu.Violation;
import io.wattproof.modbus.pdu.WriteMultipleRegistersRequest;
import io.wattproof.modbus.pdu.WriteMultipleRegistersResponse;
import io.wattproof.modbus.pdu.WriteSingleRegisterRequest;
import io.wattproof.modbus.pdu.WriteSingleRegisterResponse;

/**
 * A Modbus client. Implementations are thread-safe; whether they run requests concurrently or one
 * at a time is theirs to say.
 *
 * <p>Unit id 0 is the broadcast address on a serial line (Modbus over Serial Line V1.02 sections
 * 2.2 and 2.3): every device executes the request and none answers, so only writes may be broadcast. The
 * default methods here do not check the unit id; a master that broadcasts decides what {@link
 * #execute} does for unit 0 (not wait for an answer, refuse reads). Over TCP, unit 0 is an ordinary
 * unit id that a gateway routes and a device may answer.
 */
public interface ModbusMaster extends AutoCloseable {

    /**
     * Sends {@code request} to {@code unitId} and returns the response that answers it: same
     * function code, for reads exactly the requested number of registers, for writes the echo of
     * the request (checked by {@link io.wattproof.modbus.pdu.PduCodec#decodeResponse(ModbusRequest,
     * byte[])}). Never returns an {@link io.wattproof.modbus.pdu.ExceptionResponse}: that is thrown as
     * {@link io.wattproof.modbus.ModbusExceptionResponse}.
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

    /**
     * FC 06 (section 6.6): writes {@code value} (0..65535) to the holding register {@code address}
     * (0..65535); returns once the device echoed the request. May be broadcast (unit 0) where the
     * master supports it.
     */
    default void writeSingleRegister(int unitId, int address, int value) throws ModbusException {
        WriteSingleRegisterRequest request = new WriteSingleRegisterRequest(address, value);
        ModbusResponse response = execute(unitId, request);
        if (!(response instanceof WriteSingleRegisterResponse)) {
            throw unexpected("WriteSingleRegisterResponse", response);
        }
    }

    /**
     * FC 16 (section 6.12): writes 1..123 {@code values} (each 0..65535) to the holding registers
     * from {@code address}; returns once the device confirmed address and quantity. May be
     * broadcast (unit 0) where the master supports it.
     */
    default void writeMultipleRegisters(int unitId, int address, int[] values) throws ModbusException {
        WriteMultipleRegistersRequest request = new WriteMultipleRegistersRequest(address, values);
        ModbusResponse response = execute(unitId, request);
        if (!(response instanceof WriteMultipleRegistersResponse)) {
            throw unexpected("WriteMultipleRegistersResponse", response);
        }
    }

    /**
     * FC 43 / MEI 0x0e (section 6.21): the device's basic and regular identification objects
     * (VendorName, ProductCode, MajorMinorRevision, and where present VendorUrl, ProductName,
     * ModelName, UserApplicationName), by regular stream access over as many requests as the device
     * needs (at most {@link DeviceIdentificationStream#MAX_ROUNDS}).
     *
     * <p>A device must answer a regular request at its own conformity level, but one that refuses it
     * with exception code 0x03 (read device id code not acceptable) is asked again for the basic
     * objects. A device without FC 43 answers 0x01, thrown as {@link ModbusExceptionResponse}.
     */
    default DeviceIdentification readDeviceIdentification(int unitId) throws ModbusException {
        try {
            return readDeviceIdentification(unitId, ReadDeviceIdCode.REGULAR);
        } catch (ModbusExceptionResponse e) {
            if (e.exceptionCode() == ExceptionCode.ILLEGAL_DATA_VALUE.code()) {
                return readDeviceIdentification(unitId, ReadDeviceIdCode.BASIC);
            }
            throw e;
        }
    }

    /**
     * FC 43 / MEI 0x0e stream access with {@code readCode} {@link ReadDeviceIdCode#BASIC} or {@link
     * ReadDeviceIdCode#REGULAR}, following "more follows" and "next object id" until the stream
     * ends. A device that breaks section 6.21 on the way (an object twice, a next object id that does
     * not move forward, no end within the bound) ends it with {@link ModbusProtocolException}.
     */
    default DeviceIdentification readDeviceIdentification(int unitId, ReadDeviceIdCode readCode)
            throws ModbusException {
        DeviceIdentificationStream stream = DeviceIdentificationStream.start(readCode);
        while (true) {
            ModbusResponse response = execute(unitId, stream.request());
            if (!(response instanceof ReadDeviceIdentificationResponse r)) {
                throw unexpected("ReadDeviceIdentificationResponse", response);
            }
            switch (stream.accept(r)) {
                case DeviceIdentificationStream.Step.Next next -> stream = next.stream();
                case DeviceIdentificationStream.Step.Done done -> {
                    return done.identification();
                }
                case DeviceIdentificationStream.Step.Failed failed -> throw new ModbusProtocolException(failed.violation());
            }
        }
    }

    /** Closes the connection; later calls fail with {@link io.wattproof.modbus.ModbusIoException}. */
    @Override
    void close();

    private static ModbusProtocolException unexpected(String expected, ModbusResponse actual) {
        return new ModbusProtocolException(new Violation("response type", expected, String.valueOf(actual), ""));
    }
}
