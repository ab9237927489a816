package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * Exception response (section 7): the server echoes the request's function code with its high bit
 * set ({@code function | 0x80}) followed by one exception code byte.
 *
 * @param function the function code of the failed request, 0x01..0x7f
 * @param exceptionCode the exception code as received, 0x00..0xff (see {@link ExceptionCode})
 */
public record ExceptionResponse(int function, int exceptionCode) implements ModbusResponse {
    /** Section 7: the error bit added to the function code of an exception response. */
    public static final int ERROR_BIT = 0x80;

    public ExceptionResponse {
        if (function < 0x01 || function > 0x7F) {
            throw new IllegalArgumentException("function: expected 0x01..0x7f, actual " + Hex.byteValue(function));
        }
        if (exceptionCode < 0 || exceptionCode > 0xFF) {
            throw new IllegalArgumentException("exception code: expected 0x00..0xff, actual " + exceptionCode);
        }
    }

    public ExceptionResponse(int function, ExceptionCode code) {
        this(function, code.code());
    }

    @Override
    public int functionCode() {
        return function;
    }

    /** The function code byte on the wire, {@code function | 0x80}. */
    public int errorCode() {
        return function | ERROR_BIT;
    }

    public Optional<ExceptionCode> knownCode() {
        return ExceptionCode.from(exceptionCode);
    }

    public String meaning() {
        return ExceptionCode.meaningOf(exceptionCode);
    }

    @Override
    public String toString() {
        return "ExceptionResponse[function=" + Hex.byteValue(function) + ", exceptionCode="
                + Hex.byteValue(exceptionCode) + " (" + meaning() + ")]";
    }
}
