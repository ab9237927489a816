package io.wattproof.agent.meter;

/** The meter could not be read, or returned values that cannot be a reading. */
public class MeterReadException extends Exception {
    public MeterReadException(String message, Throwable cause) {
        super(message, cause);
    }

    public MeterReadException(String message) {
        super(message);
    }
}
