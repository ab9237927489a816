package io.wattproof.modbus.slave;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.pdu.ReadRegistersRequest;
import io.wattproof.modbus.pdu.ReadRegistersResponse;
import io.wattproof.modbus.pdu.RequestDecodeResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server answers to a request PDU, whatever carries it (MBAP over TCP, an RTU frame):
 * decoded by {@link PduCodec}, served from a {@link RegisterBank}, refused with the exception
 * response Application Protocol V1.1b3 prescribes.
 */
final class RequestHandler {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private RequestHandler() {}

    /** The response to {@code pdu}, or empty when it gets no answer (no usable function code). */
    static Optional<ModbusResponse> answer(RegisterBank bank, byte[] pdu) {
        return switch (PduCodec.decodeRequest(pdu)) {
            case RequestDecodeResult.Malformed m -> Optional.empty();
            case RequestDecodeResult.Refused r -> Optional.of(r.response());
            case RequestDecodeResult.Decoded d -> Optional.of(switch (d.request()) {
                case ReadRegistersRequest read -> read(bank, read);
            });
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
}
