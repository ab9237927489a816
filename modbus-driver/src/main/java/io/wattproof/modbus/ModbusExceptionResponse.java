package io.wattproof.modbus;

import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.Hex;
import java.util.Optional;

/**
 * The server answered with an exception response (Application Protocol V1.1b3 section 7): a
 * well-formed refusal, so a master keeps its connection. A {@code RegisterBank} of a slave throws
 * it too, to make the slave send that exception response.
 */
public final class ModbusExceptionResponse extends ModbusException {
    private final int function;
    private final int exceptionCode;

    /**
     * @param function the function code of the refused request, 0x01..0x7f
     * @param exceptionCode 0x00..0xff
     */
    public ModbusExceptionResponse(int function, int exceptionCode) {
        this(new ExceptionResponse(function, exceptionCode));
    }

    public ModbusExceptionResponse(int function, ExceptionCode code) {
        this(new ExceptionResponse(function, code));
    }

    public ModbusExceptionResponse(ExceptionResponse response) {
        super("exception response to function " + Hex.byteValue(response.function()) + ": exception code "
                + Hex.byteValue(response.exceptionCode()) + ", " + response.meaning());
        this.function = response.function();
        this.exceptionCode = response.exceptionCode();
    }

    /** The function code of the refused request (without the 0x80 error bit). */
    public int function() {
        return function;
    }

    public int exceptionCode() {
        return exceptionCode;
    }

    public Optional<ExceptionCode> knownCode() {
        return ExceptionCode.from(exceptionCode);
    }

    public String meaning() {
        return ExceptionCode.meaningOf(exceptionCode);
    }

    public ExceptionResponse response() {
        return new ExceptionResponse(function, exceptionCode);
    }
}
