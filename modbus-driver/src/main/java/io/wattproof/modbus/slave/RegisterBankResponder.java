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
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link-independent part of a Modbus slave: answers a request PDU from a {@link RegisterBank}.
 * A TCP or RTU slave frames the bytes and calls {@link #respond(byte[])}.
 *
 * <p>Failures map to exception responses (Application Protocol V1.1b3 section 7 and the state
 * diagrams of sections 6.3, 6.4, 6.6, 6.12 and 6.21): what {@link PduCodec#decodeRequest} refuses
 * gets its code (0x01 unimplemented function or MEI type, 0x03 bad quantity, byte count, length or
 * read device id code, 0x02 address range past 65535); whatever the bank throws as {@link
 * ModbusExceptionResponse} its code, under the request's function code; a bank failure (an
 * unchecked exception or a wrong result) 0x04. FC 43 without an identification from the bank gets
 * 0x01; individual access to an object the device does not have 0x02.
 *
 * <p>A broadcast (unit 0 on a serial line) is executed but not answered; that is the framing
 * slave's decision, which calls this and drops the answer. Thread-safe when the bank is.
 */
public final class RegisterBankResponder {
    private static final Logger log = LoggerFactory.getLogger(RegisterBankResponder.class);

    private final RegisterBank bank;

    public RegisterBankResponder(RegisterBank bank) {
        this.bank = Objects.requireNonNull(bank, "bank");
    }

    /**
     * The response PDU to {@code requestPdu}, or empty when the request cannot be answered (empty,
     * or without a usable function code: section 7 has no way to address an exception to it).
     */
    public Optional<byte[]> respond(byte[] requestPdu) {
        ModbusResponse response = switch (PduCodec.decodeRequest(requestPdu)) {
            case RequestDecodeResult.Malformed m -> null;
            case RequestDecodeResult.Refused r -> r.response();
            case RequestDecodeResult.Decoded d -> respond(d.request());
        };
        return Optional.ofNullable(response).map(PduCodec::encode);
    }

    /** The response to a well-formed request: a normal response or an exception response. */
    public ModbusResponse respond(ModbusRequest request) {
        return switch (request) {
            case ReadRegistersRequest read -> read(read);
            case WriteSingleRegisterRequest write ->
                    write(write.functionCode().code(), write.address(), new int[] {write.value()})
                            .orElseGet(write::echo);
            case WriteMultipleRegistersRequest write ->
                    write(write.functionCode().code(), write.address(), write.values())
                            .orElseGet(write::expectedResponse);
            case ReadDeviceIdentificationRequest identify -> identify(identify);
        };
    }

    private ModbusResponse read(ReadRegistersRequest request) {
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
    private Optional<ModbusResponse> write(int function, int address, int[] values) {
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

    private ModbusResponse identify(ReadDeviceIdentificationRequest request) {
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
