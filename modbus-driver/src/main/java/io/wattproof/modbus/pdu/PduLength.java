package io.wattproof.modbus.pdu;

import java.util.Objects;
import java.util.Optional;

/**
 * How long a PDU is, told from its first bytes: for framings without a length field (RTU, Modbus
 * over Serial Line V1.02 section 2.5.1) that want to know when a frame is complete without relying
 * on the 3.5-character silence alone. Pure: looks at bytes, never throws on them.
 *
 * <p>Lengths follow the layouts of Application Protocol V1.1b3: FC 03/04 requests, FC 06 requests
 * and responses, FC 16 responses are 5 bytes; FC 16 requests 6 + byte count; FC 03/04 responses
 * 2 + byte count; FC 43/14 requests 4 bytes, responses 7 bytes plus each object's 2 + length;
 * exception responses 2 bytes (section 7).
 */
public sealed interface PduLength {

    /** The PDU is {@code length} bytes (1..253); it may be more than has arrived. */
    record Known(int length) implements PduLength {}

    /** Too few bytes to tell; at least {@code atLeast} bytes are needed in all. */
    record NeedMore(int atLeast) implements PduLength {}

    /**
     * The length cannot be told from the bytes: a function code this driver does not implement, or
     * a field that makes the PDU longer than 253 bytes. A framing then falls back on timing, or
     * drops the bytes.
     */
    record Unknown(Violation violation) implements PduLength {
        public Unknown {
            Objects.requireNonNull(violation, "violation");
        }
    }

    /** The length of the request PDU starting at {@code bytes[offset]}, of which {@code available} bytes arrived. */
    static PduLength ofRequest(byte[] bytes, int offset, int available) {
        Objects.checkFromIndexSize(offset, available, bytes.length);
        if (available < 1) {
            return new NeedMore(1);
        }
        int function = bytes[offset] & 0xFF;
        Optional<FunctionCode> fc = FunctionCode.from(function);
        if (fc.isEmpty()) {
            return unknown("function code", function, bytes, offset, available);
        }
        return switch (fc.get()) {
            case READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS -> new Known(PduCodec.READ_REQUEST_LENGTH);
            case WRITE_SINGLE_REGISTER -> new Known(PduCodec.WRITE_SINGLE_LENGTH);
            case WRITE_MULTIPLE_REGISTERS -> available < PduCodec.WRITE_MULTIPLE_HEADER_LENGTH
                    ? new NeedMore(PduCodec.WRITE_MULTIPLE_HEADER_LENGTH)
                    : known(PduCodec.WRITE_MULTIPLE_HEADER_LENGTH + (bytes[offset + 5] & 0xFF), bytes, offset, available);
            case ENCAPSULATED_INTERFACE_TRANSPORT -> new Known(DeviceIdentificationCodec.REQUEST_LENGTH);
        };
    }

    /** The length of the response PDU starting at {@code bytes[offset]}, of which {@code available} bytes arrived. */
    static PduLength ofResponse(byte[] bytes, int offset, int available) {
        Objects.checkFromIndexSize(offset, available, bytes.length);
        if (available < 1) {
            return new NeedMore(1);
        }
        int function = bytes[offset] & 0xFF;
        if ((function & ExceptionResponse.ERROR_BIT) != 0) {
            return new Known(2);
        }
        Optional<FunctionCode> fc = FunctionCode.from(function);
        if (fc.isEmpty()) {
            return unknown("function code", function, bytes, offset, available);
        }
        return switch (fc.get()) {
            case READ_HOLDING_REGISTERS, READ_INPUT_REGISTERS -> available < 2
                    ? new NeedMore(2)
                    : known(2 + (bytes[offset + 1] & 0xFF), bytes, offset, available);
            case WRITE_SINGLE_REGISTER -> new Known(PduCodec.WRITE_SINGLE_LENGTH);
            case WRITE_MULTIPLE_REGISTERS -> new Known(PduCodec.WRITE_MULTIPLE_RESPONSE_LENGTH);
            case ENCAPSULATED_INTERFACE_TRANSPORT -> deviceIdentificationResponse(bytes, offset, available);
        };
    }

    private static PduLength deviceIdentificationResponse(byte[] bytes, int offset, int available) {
        if (available >= 2 && (bytes[offset + 1] & 0xFF) != ReadDeviceIdentificationRequest.MEI_TYPE) {
            return unknown("mei type", bytes[offset + 1] & 0xFF, bytes, offset, available);
        }
        int length = ReadDeviceIdentificationResponse.HEADER_LENGTH;
        if (available < length) {
            return new NeedMore(length);
        }
        int count = bytes[offset + 6] & 0xFF;
        for (int i = 0; i < count; i++) {
            if (length + 2 > PduCodec.MAX_PDU_LENGTH) {
                return tooLong("at least " + (length + 2) + " bytes", bytes, offset, available);
            }
            if (available < length + 2) {
                return new NeedMore(length + 2);
            }
            length += 2 + (bytes[offset + length + 1] & 0xFF);
        }
        return known(length, bytes, offset, available);
    }

    private static PduLength known(int length, byte[] bytes, int offset, int available) {
        return length > PduCodec.MAX_PDU_LENGTH
                ? tooLong(length + " bytes", bytes, offset, available)
                : new Known(length);
    }

    private static PduLength unknown(String field, int value, byte[] bytes, int offset, int available) {
        return new Unknown(new Violation(field, "one this driver implements", Hex.byteValue(value),
                Hex.bytes(bytes, offset, Math.min(available, 2))));
    }

    private static PduLength tooLong(String actual, byte[] bytes, int offset, int available) {
        return new Unknown(new Violation("pdu length", "at most " + PduCodec.MAX_PDU_LENGTH + " bytes", actual,
                Hex.bytes(bytes, offset, available)));
    }
}
