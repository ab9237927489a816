package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * Encodes and decodes PDUs (Modbus Application Protocol V1.1b3 sections 4.1, 6.3, 6.4 and 7).
 * Pure functions: byte arrays in, records or violations out, no state and no I/O. All multi-byte
 * fields are big-endian (section 4.2).
 *
 * <p>Decoders never throw on any input and never return a value decoded from bytes that break a
 * rule: a truncated or over-long PDU, a byte count that disagrees with the length or the request,
 * or an unexpected function code is reported as a {@link Violation}.
 */
public final class PduCodec {
    /** Section 4.1: the PDU is at most 253 bytes (256-byte RS485 ADU minus address and CRC). */
    public static final int MAX_PDU_LENGTH = 253;

    /** Function code + address (2) + quantity (2), sections 6.3 and 6.4. */
    static final int READ_REQUEST_LENGTH = 5;

    private PduCodec() {}

    public static byte[] encode(ModbusRequest request) {
        return switch (request) {
            case ReadRegistersRequest r -> new byte[] {
                (byte) r.functionCode().code(),
                (byte) (r.address() >>> 8), (byte) r.address(),
                (byte) (r.quantity() >>> 8), (byte) r.quantity()
            };
        };
    }

    public static byte[] encode(ModbusResponse response) {
        return switch (response) {
            case ExceptionResponse e -> new byte[] {(byte) e.errorCode(), (byte) e.exceptionCode()};
            case ReadRegistersResponse r -> {
                int[] registers = r.registers();
                byte[] pdu = new byte[2 + 2 * registers.length];
                pdu[0] = (byte) r.functionCode();
                pdu[1] = (byte) (2 * registers.length);
                for (int i = 0; i < registers.length; i++) {
                    pdu[2 + 2 * i] = (byte) (registers[i] >>> 8);
                    pdu[3 + 2 * i] = (byte) registers[i];
                }
                yield pdu;
            }
        };
    }

    /**
     * Decodes a request on the server side, deciding which exception response a request that cannot
     * be served deserves (the state diagrams of sections 6.3 and 6.4, checked in their order:
     * function, quantity, address range).
     */
    public static RequestDecodeResult decodeRequest(byte[] pdu) {
        if (pdu.length == 0) {
            return new RequestDecodeResult.Malformed(Violation.of("pdu length", "at least 1 byte", "0 bytes", pdu));
        }
        int function = pdu[0] & 0xFF;
        if (function == 0 || (function & ExceptionResponse.ERROR_BIT) != 0) {
            // Section 4.1: 0 is not a valid function code; 128..255 are exception responses.
            return new RequestDecodeResult.Malformed(
                    Violation.of("function code", "0x01..0x7f", Hex.byteValue(function), pdu));
        }
        Optional<FunctionCode> known = FunctionCode.from(function);
        if (known.isEmpty()) {
            return refused(function, ExceptionCode.ILLEGAL_FUNCTION,
                    Violation.of("function code", supportedFunctions(), Hex.byteValue(function), pdu));
        }
        FunctionCode fc = known.get();
        return switch (fc) {
            case READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS -> decodeReadRequest(fc, pdu);
        };
    }

    private static RequestDecodeResult decodeReadRequest(FunctionCode fc, byte[] pdu) {
        if (pdu.length != READ_REQUEST_LENGTH) {
            // Section 7, code 03: "the implicit length is incorrect" is an illegal data value.
            return refused(fc.code(), ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of(
                    "pdu length", READ_REQUEST_LENGTH + " bytes", pdu.length + " bytes", pdu));
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        Optional<Violation> quantityViolation = Checks.quantity(quantity);
        if (quantityViolation.isPresent()) {
            return refused(fc.code(), ExceptionCode.ILLEGAL_DATA_VALUE, withBytes(quantityViolation.get(), pdu));
        }
        Optional<Violation> rangeViolation = Checks.addressRange(address, quantity);
        if (rangeViolation.isPresent()) {
            return refused(fc.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS, withBytes(rangeViolation.get(), pdu));
        }
        return new RequestDecodeResult.Decoded(ReadRegistersRequest.of(fc, address, quantity));
    }

    /**
     * Decodes a response without knowing the request: checks only what the response itself
     * states (function code, exception response length, byte count 2..250 and even, total length).
     */
    public static DecodeResult<ModbusResponse> decodeResponse(byte[] pdu) {
        if (pdu.length == 0) {
            return DecodeResult.invalid("pdu length", "at least 2 bytes", "0 bytes", pdu);
        }
        int function = pdu[0] & 0xFF;
        if ((function & ExceptionResponse.ERROR_BIT) != 0) {
            int original = function & ~ExceptionResponse.ERROR_BIT;
            if (original == 0) {
                return DecodeResult.invalid("function code", "0x81..0xff for an exception response",
                        Hex.byteValue(function), pdu);
            }
            // Section 7: an exception response is exactly function code + exception code.
            if (pdu.length != 2) {
                return DecodeResult.invalid("exception response length", "2 bytes", pdu.length + " bytes", pdu);
            }
            return new DecodeResult.Decoded<>(new ExceptionResponse(original, pdu[1] & 0xFF));
        }
        Optional<FunctionCode> known = FunctionCode.from(function);
        if (known.isEmpty()) {
            return DecodeResult.invalid("function code", supportedFunctions(), Hex.byteValue(function), pdu);
        }
        FunctionCode fc = known.get();
        return switch (fc) {
            case READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS -> decodeReadResponse(fc, pdu);
        };
    }

    private static DecodeResult<ModbusResponse> decodeReadResponse(FunctionCode fc, byte[] pdu) {
        if (pdu.length < 2) {
            return DecodeResult.invalid("pdu length", "at least 2 bytes", pdu.length + " bytes", pdu);
        }
        int byteCount = pdu[1] & 0xFF;
        int maxByteCount = 2 * ReadRegistersRequest.MAX_QUANTITY;
        if (byteCount < 2 || byteCount > maxByteCount || byteCount % 2 != 0) {
            return DecodeResult.invalid("byte count", "an even number 2.." + maxByteCount,
                    Integer.toString(byteCount), pdu);
        }
        if (pdu.length != 2 + byteCount) {
            return DecodeResult.invalid("pdu length", (2 + byteCount) + " bytes (2 + byte count " + byteCount + ")",
                    pdu.length + " bytes", pdu);
        }
        int[] registers = new int[byteCount / 2];
        for (int i = 0; i < registers.length; i++) {
            registers[i] = u16(pdu, 2 + 2 * i);
        }
        return new DecodeResult.Decoded<>(ReadRegistersResponse.of(fc, registers));
    }

    /**
     * Decodes the response to {@code request}: besides the checks of {@link #decodeResponse(byte[])},
     * the function code must be the request's (or the request's with the error bit) and, for
     * register reads, the byte count must be 2 x the requested quantity (sections 6.3 and 6.4).
     * An exception response is a valid value here; the caller decides that it is a failure.
     */
    public static DecodeResult<ModbusResponse> decodeResponse(ModbusRequest request, byte[] pdu) {
        int expected = request.functionCode().code();
        if (pdu.length > 0) {
            int function = pdu[0] & 0xFF;
            if (function != expected && function != (expected | ExceptionResponse.ERROR_BIT)) {
                return DecodeResult.invalid("function code",
                        Hex.byteValue(expected) + " or " + Hex.byteValue(expected | ExceptionResponse.ERROR_BIT),
                        Hex.byteValue(function), pdu);
            }
            if (function == expected && pdu.length >= 2 && request instanceof ReadRegistersRequest read) {
                int byteCount = pdu[1] & 0xFF;
                if (byteCount != 2 * read.quantity()) {
                    return DecodeResult.invalid("byte count",
                            (2 * read.quantity()) + " (2 x quantity " + read.quantity() + ")",
                            Integer.toString(byteCount), pdu);
                }
            }
        }
        return decodeResponse(pdu);
    }

    private static RequestDecodeResult refused(int function, ExceptionCode code, Violation violation) {
        return new RequestDecodeResult.Refused(new ExceptionResponse(function, code), violation);
    }

    private static Violation withBytes(Violation v, byte[] pdu) {
        return new Violation(v.field(), v.expected(), v.actual(), Hex.bytes(pdu));
    }

    private static String supportedFunctions() {
        StringBuilder sb = new StringBuilder("one of");
        for (FunctionCode f : FunctionCode.values()) {
            sb.append(' ').append(Hex.byteValue(f.code()));
        }
        return sb.toString();
    }

    private static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }
}
