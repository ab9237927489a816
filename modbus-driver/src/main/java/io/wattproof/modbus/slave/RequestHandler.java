package io.wattproof.modbus.slave;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationRequest;
import io.wattproof.modbus.pdu.ReadRegistersRequest;
import io.wattproof.modbus.pdu.ReadRegistersResponse;
import io.wattproof.modbus.pdu.RequestDecodeResult;
import io.wattproof.modbus.pdu.WriteMultipleRegistersRequest;
import io.wattproof.modbus.pdu.WriteSingleRegisterRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server answers to a request PDU, whatever carries it (MBAP over TCP, an RTU frame):
 * decoded by {@link PduCodec}, served from a {@link RegisterBank}, refused with the exception
 * response Application Protocol V1.1b3 prescribes.
 *
 * <p>Failures map to exception responses (section 7 and the state diagrams of sections 6.3, 6.4,
 * 6.6, 6.12 and 6.21): what {@link PduCodec#decodeRequest} refuses gets its code (0x01
 * unimplemented function or MEI type, 0x03 bad quantity, byte count, length or read device id
 * code, 0x02 address range past 65535); whatever the bank throws as {@link ModbusExceptionResponse}
 * its code, under the request's function code; a bank failure (an unchecked exception or a wrong
 * result) 0x04. Writes and FC 43 go to the bank's {@link RegisterBank#write} and {@link
 * RegisterBank#identification}, whose defaults refuse with 0x01; individual access to an object the
 * device does not have gets 0x02.
 *
 * <p>A broadcast (unit 0 on a serial line) is executed but not answered; that is the framing
 * slave's decision, which calls this and drops the answer.
 */
final class RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private RequestHandler() {}

    /** The response to {@code pdu}, or empty when it gets no answer (no usable function code). */
    static Optional<ModbusResponse> answer(RegisterBank bank, byte[] pdu) {
        return switch (PduCodec.decodeRequest(pdu)) {
            case RequestDecodeResult.Malformed m -> Optional.empty();
            case RequestDecodeResult.Refused r -> Optional.of(r.response());
            case RequestDecodeResult.Decoded d -> Optional.of(answer(bank, d.request()));
        };
    }

    /** The response to a well-formed request: a normal response or an exception response. */
    static ModbusResponse answer(RegisterBank bank, ModbusRequest request) {
        return switch (request) {
            case ReadRegistersRequest read -> read(bank, read);
            case WriteSingleRegisterRequest write ->
                    write(bank, write.functionCode().code(), write.address(), new int[] {write.value()})
                            .orElseGet(write::echo);
            case WriteMultipleRegistersRequest write ->
                    write(bank, write.functionCode().code(), write.address(), write.values())
                            .orElseGet(write::expectedResponse);
            case ReadDeviceIdentificationRequest identify -> identify(bank, identify);
        };
    }

    private static ModbusResponse read(RegisterBank bank, ReadRegistersRequest request) {
        int function = request.functionCode().code();
        int[] registers;
        try {
            registers = bank.read(request.functionCode(), request.address(), request.quantity());
        } catch (ModbusExceptionResponse e) {
            return new ExceptionResponse(function, e.exceptionCode());
        } catch (RuntimeException e) {
            log.warn("modbus slave register bank failed function={} address={} quantity={} error={}",
                    function, request.address(), request.quantity(), e.toString());
            return new ExceptionResponse(function, ExceptionCode.SERVER_DEVICE_FAILURE);
        }
        try {
            if (registers == null || registers.length != request.quantity()) {
                throw new IllegalArgumentException("registers length: expected " + request.quantity() + ", actual "
                        + (registers == null ? "null" : registers.length));
            }
            return ReadRegistersResponse.of(request.functionCode(), registers);
        } catch (IllegalArgumentException e) {
            log.warn("modbus slave register bank returned a bad result function={} address={} quantity={} error={}",
                    function, request.address(), request.quantity(), e.getMessage());
            return new ExceptionResponse(function, ExceptionCode.SERVER_DEVICE_FAILURE);
        }
    }

    /** Empty when the bank wrote the values; else the exception response to send. */
    private static Optional<ModbusResponse> write(RegisterBank bank, int function, int address, int[] values) {
        try {
            bank.write(address, values);
            return Optional.empty();
        } catch (ModbusExceptionResponse e) {
            return Optional.of(new ExceptionResponse(function, e.exceptionCode()));
        } catch (RuntimeException e) {
            log.warn("modbus slave register bank write failed function={} address={} quantity={} error={}",
                    function, address, values.length, e.toString());
            return Optional.of(new ExceptionResponse(function, ExceptionCode.SERVER_DEVICE_FAILURE));
        }
    }

    private static ModbusResponse identify(RegisterBank bank, ReadDeviceIdentificationRequest request) {
        int function = request.functionCode().code();
        Optional<DeviceIdentification> identification;
        try {
            identification = bank.identification();
        } catch (RuntimeException e) {
            log.warn("modbus slave register bank identification failed error={}", e.toString());
            return new ExceptionResponse(function, ExceptionCode.SERVER_DEVICE_FAILURE);
        }
        if (identification == null || identification.isEmpty()) {
            return new ExceptionResponse(function, ExceptionCode.ILLEGAL_FUNCTION);
        }
        return identification.get().answer(request);
    }
}
