package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * Encodes and decodes PDUs (Modbus Application Protocol V1.1b3 sections 4.1, 6.3, 6.4, 6.6, 6.12,
 * 6.21 and 7). Pure functions: byte arrays in, records or violations out, no state and no I/O. All
 * multi-byte fields are big-endian (section 4.2).
 *
 * <p>Decoders never throw on any input and never return a value decoded from bytes that break a
 * rule: a truncated or over-long PDU, a byte count or object length that disagrees with the length
 * or the request, an echo that differs from the request, or an unexpected function code is
 * reported as a {@link Violation}.
 */
public final class PduCodec {
    /** Section 4.1: the PDU is at most 253 bytes (256-byte RS485 ADU minus address and CRC). */
    public static final int MAX_PDU_LENGTH = 253;

    /** Function code + address (2) + quantity (2), sections 6.3 and 6.4. */
    static final int READ_REQUEST_LENGTH = 5;

    /** Function code + address (2) + value (2), section 6.6; the response is the same echo. */
    static final int WRITE_SINGLE_LENGTH = 5;

    /** Function code + address (2) + quantity (2) + byte count (1), before the values (section 6.12). */
    static final int WRITE_MULTIPLE_HEADER_LENGTH = 6;

    /** Function code + address (2) + quantity (2): the FC 16 response (section 6.12). */
    static final int WRITE_MULTIPLE_RESPONSE_LENGTH = 5;

    private PduCodec() {}

    public static byte[] encode(ModbusRequest request) {
        return switch (request) {
            case ReadRegistersRequest r -> new byte[] {
                (byte) r.functionCode().code(),
                (byte) (r.address() >>> 8), (byte) r.address(),
                (byte) (r.quantity() >>> 8), (byte) r.quantity()
            };
            case WriteSingleRegisterRequest w -> new byte[] {
                (byte) w.functionCode().code(),
                (byte) (w.address() >>> 8), (byte) w.address(),
                (byte) (w.value() >>> 8), (byte) w.value()
            };
            case WriteMultipleRegistersRequest w -> {
                int[] values = w.values();
                byte[] pdu = new byte[WRITE_MULTIPLE_HEADER_LENGTH + 2 * values.length];
                pdu[0] = (byte) w.functionCode().code();
                put16(pdu, 1, w.address());
                put16(pdu, 3, values.length);
                pdu[5] = (byte) (2 * values.length);
                for (int i = 0; i < values.length; i++) {
                    put16(pdu, WRITE_MULTIPLE_HEADER_LENGTH + 2 * i, values[i]);
                }
                yield pdu;
            }
            case ReadDeviceIdentificationRequest r -> new byte[] {
                (byte) r.functionCode().code(),
                (byte) ReadDeviceIdentificationRequest.MEI_TYPE,
                (byte) r.readCode().code(),
                (byte) r.objectId()
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
            case WriteSingleRegisterResponse w -> new byte[] {
                (byte) w.functionCode(),
                (byte) (w.address() >>> 8), (byte) w.address(),
                (byte) (w.value() >>> 8), (byte) w.value()
            };
            case WriteMultipleRegistersResponse w -> new byte[] {
                (byte) w.functionCode(),
                (byte) (w.address() >>> 8), (byte) w.address(),
                (byte) (w.quantity() >>> 8), (byte) w.quantity()
            };
            case ReadDeviceIdentificationResponse r -> DeviceIdentificationCodec.encode(r);
        };
    }

    /**
     * Decodes a request on the server side, deciding which exception response a request that cannot
     * be served deserves (the state diagrams of sections 6.3, 6.4, 6.6, 6.12 and 6.21, checked in
     * their order: function, then values and lengths (0x03), then the address range (0x02)).
     *
     * <p>FC 43 / MEI type 0x0e: an object id is accepted here whatever its value. Whether it names
     * an object is the device's to say: stream access restarts at the beginning for an unknown id,
     * individual access (code 04) answers 0x02, see {@link DeviceIdentification#answer}.
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
            case WRITE_SINGLE_REGISTER -> decodeWriteSingleRequest(pdu);
            case WRITE_MULTIPLE_REGISTERS -> decodeWriteMultipleRequest(pdu);
            case ENCAPSULATED_INTERFACE_TRANSPORT -> DeviceIdentificationCodec.decodeRequest(pdu);
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
     * Section 6.6: every 16-bit address and value is well-formed, so the codec refuses only a wrong
     * length (0x03, as section 7 classes an incorrect implicit length). Whether the register exists
     * or accepts the value (0x02, 0x03) is the device's to say.
     */
    private static RequestDecodeResult decodeWriteSingleRequest(byte[] pdu) {
        int function = FunctionCode.WRITE_SINGLE_REGISTER.code();
        if (pdu.length != WRITE_SINGLE_LENGTH) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_VALUE,
                    Violation.of("pdu length", WRITE_SINGLE_LENGTH + " bytes", pdu.length + " bytes", pdu));
        }
        return new RequestDecodeResult.Decoded(new WriteSingleRegisterRequest(u16(pdu, 1), u16(pdu, 3)));
    }

    /**
     * Section 6.12 state diagram: quantity 1..123 and byte count = 2 x quantity, else 0x03 (and a
     * PDU length that disagrees with the byte count is an incorrect implicit length, also 0x03);
     * then address + quantity within the table, else 0x02.
     */
    private static RequestDecodeResult decodeWriteMultipleRequest(byte[] pdu) {
        int function = FunctionCode.WRITE_MULTIPLE_REGISTERS.code();
        if (pdu.length < WRITE_MULTIPLE_HEADER_LENGTH) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("pdu length",
                    "at least " + WRITE_MULTIPLE_HEADER_LENGTH + " bytes", pdu.length + " bytes", pdu));
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        int byteCount = pdu[5] & 0xFF;
        Optional<Violation> quantityViolation = Checks.writeQuantity(quantity);
        if (quantityViolation.isPresent()) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_VALUE, withBytes(quantityViolation.get(), pdu));
        }
        if (byteCount != 2 * quantity) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("byte count",
                    (2 * quantity) + " (2 x quantity " + quantity + ")", Integer.toString(byteCount), pdu));
        }
        if (pdu.length != WRITE_MULTIPLE_HEADER_LENGTH + byteCount) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("pdu length",
                    (WRITE_MULTIPLE_HEADER_LENGTH + byteCount) + " bytes (6 + byte count " + byteCount + ")",
                    pdu.length + " bytes", pdu));
        }
        Optional<Violation> rangeViolation = Checks.addressRange(address, quantity);
        if (rangeViolation.isPresent()) {
            return refused(function, ExceptionCode.ILLEGAL_DATA_ADDRESS, withBytes(rangeViolation.get(), pdu));
        }
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = u16(pdu, WRITE_MULTIPLE_HEADER_LENGTH + 2 * i);
        }
        return new RequestDecodeResult.Decoded(new WriteMultipleRegistersRequest(address, values));
    }

    /**
     * Decodes a response without knowing the request: checks only what the response itself
     * states (function code, exception response length, byte count 2..250 and even, fixed lengths,
     * object lengths against the PDU length).
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
            case WRITE_SINGLE_REGISTER -> decodeWriteSingleResponse(pdu);
            case WRITE_MULTIPLE_REGISTERS -> decodeWriteMultipleResponse(pdu);
            case ENCAPSULATED_INTERFACE_TRANSPORT -> DeviceIdentificationCodec.decodeResponse(pdu);
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

    private static DecodeResult<ModbusResponse> decodeWriteSingleResponse(byte[] pdu) {
        if (pdu.length != WRITE_SINGLE_LENGTH) {
            return DecodeResult.invalid("pdu length", WRITE_SINGLE_LENGTH + " bytes", pdu.length + " bytes", pdu);
        }
        return new DecodeResult.Decoded<>(new WriteSingleRegisterResponse(u16(pdu, 1), u16(pdu, 3)));
    }

    private static DecodeResult<ModbusResponse> decodeWriteMultipleResponse(byte[] pdu) {
        if (pdu.length != WRITE_MULTIPLE_RESPONSE_LENGTH) {
            return DecodeResult.invalid("pdu length", WRITE_MULTIPLE_RESPONSE_LENGTH + " bytes",
                    pdu.length + " bytes", pdu);
        }
        int address = u16(pdu, 1);
        int quantity = u16(pdu, 3);
        Optional<Violation> violation = Checks.writeQuantity(quantity).or(() -> Checks.addressRange(address, quantity));
        if (violation.isPresent()) {
            return new DecodeResult.Invalid<>(withBytes(violation.get(), pdu));
        }
        return new DecodeResult.Decoded<>(new WriteMultipleRegistersResponse(address, quantity));
    }

    /**
     * Decodes the response to {@code request}: besides the checks of {@link #decodeResponse(byte[])},
     * the function code must be the request's (or the request's with the error bit), and the
     * response must answer this request: for register reads the byte count is 2 x the requested
     * quantity (sections 6.3 and 6.4); FC 06 echoes address and value (6.6); FC 16 echoes address and
     * quantity (6.12); FC 43/14 echoes the read device id code, and individual access returns the
     * object asked for (6.21). An exception response is a valid value here; the caller decides that
     * it is a failure.
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
        DecodeResult<ModbusResponse> result = decodeResponse(pdu);
        if (result instanceof DecodeResult.Decoded<ModbusResponse>(ModbusResponse response)) {
            Optional<Violation> mismatch = mismatch(request, response, pdu);
            if (mismatch.isPresent()) {
                return new DecodeResult.Invalid<>(mismatch.get());
            }
        }
        return result;
    }

    /** What in a well-formed {@code response} does not answer {@code request}, if anything. */
    private static Optional<Violation> mismatch(ModbusRequest request, ModbusResponse response, byte[] pdu) {
        return switch (response) {
            case WriteSingleRegisterResponse w when request instanceof WriteSingleRegisterRequest r -> {
                if (w.address() != r.address()) {
                    yield Optional.of(echo("address", r.address(), w.address(), pdu));
                }
                if (w.value() != r.value()) {
                    yield Optional.of(echo("value", r.value(), w.value(), pdu));
                }
                yield Optional.empty();
            }
            case WriteMultipleRegistersResponse w when request instanceof WriteMultipleRegistersRequest r -> {
                if (w.address() != r.address()) {
                    yield Optional.of(echo("address", r.address(), w.address(), pdu));
                }
                if (w.quantity() != r.quantity()) {
                    yield Optional.of(Violation.of("quantity", r.quantity() + " (echo of the request)",
                            Integer.toString(w.quantity()), pdu));
                }
                yield Optional.empty();
            }
            case ReadDeviceIdentificationResponse d when request instanceof ReadDeviceIdentificationRequest r ->
                    DeviceIdentificationCodec.mismatch(r, d, pdu);
            default -> Optional.empty();
        };
    }

    private static Violation echo(String field, int expected, int actual, byte[] pdu) {
        return Violation.of(field, Hex.wordValue(expected) + " (echo of the request)", Hex.wordValue(actual), pdu);
    }

    static RequestDecodeResult refused(int function, ExceptionCode code, Violation violation) {
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

    static int u16(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static void put16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }
}
