package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * Exception codes of Modbus Application Protocol V1.1b3 section 7 ("MODBUS Exception
 * Responses"). Codes 0x07 and 0x09 are not defined by the specification; a device may still send
 * them or vendor codes, which is why {@link ExceptionResponse} keeps the raw code.
 */
public enum ExceptionCode {
    ILLEGAL_FUNCTION(0x01, "illegal function: the function code is not an allowable action for the server"),
    ILLEGAL_DATA_ADDRESS(0x02, "illegal data address: the data address is not an allowable address for the server"),
    ILLEGAL_DATA_VALUE(0x03, "illegal data value: a value in the query data field is not allowable for the server"),
    SERVER_DEVICE_FAILURE(0x04, "server device failure: an unrecoverable error occurred while the server performed the action"),
    ACKNOWLEDGE(0x05, "acknowledge: the server accepted the request but needs a long time to process it"),
    SERVER_DEVICE_BUSY(0x06, "server device busy: the server is processing a long-duration command, retry later"),
    MEMORY_PARITY_ERROR(0x08, "memory parity error: the server detected a parity error reading record file memory"),
    GATEWAY_PATH_UNAVAILABLE(0x0A, "gateway path unavailable: the gateway could not allocate a path to the target"),
    GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND(0x0B, "gateway target device failed to respond: no response from the target device");

    private final int code;
    private final String meaning;

    ExceptionCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** A lowercase sentence paraphrasing the specification's description of the code. */
    public String meaning() {
        return meaning;
    }

    public static Optional<ExceptionCode> from(int code) {
        for (ExceptionCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The meaning of any code 0..255, including codes section 7 does not define. */
    public static String meaningOf(int code) {
        return from(code)
                .map(ExceptionCode::meaning)
                .orElse("unknown exception code " + Hex.byteValue(code) + " (not defined by the specification)");
    }
}
