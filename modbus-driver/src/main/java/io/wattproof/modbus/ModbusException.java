package io.wattproof.modbus;

/**
 * Base of every checked failure of a Modbus exchange. Sealed so a caller can tell the cases apart
 * exhaustively: no answer in time, an answer that is an exception response, an answer that breaks
 * the protocol, or the link failing.
 */
public abstract sealed class ModbusException extends Exception
        permits ModbusTimeoutException, ModbusExceptionResponse, ModbusProtocolException, ModbusIoException {

    protected ModbusException(String message) {
        super(message);
    }

    protected ModbusException(String message, Throwable cause) {
        super(message, cause);
    }
}
