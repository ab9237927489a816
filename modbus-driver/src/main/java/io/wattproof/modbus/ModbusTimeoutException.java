package io.wattproof.modbus;

import java.time.Duration;
import java.util.Objects;

/**
 * No connection or no (complete) response within the configured time.
 *
 * @see #operation() what was waited for, e.g. {@code "connect to 10.0.0.5:502"}
 */
public final class ModbusTimeoutException extends ModbusException {
    private final String operation;
    private final Duration timeout;

    public ModbusTimeoutException(String operation, Duration timeout) {
        super(operation + ": no answer within " + timeout.toMillis() + " ms");
        this.operation = Objects.requireNonNull(operation, "operation");
        this.timeout = timeout;
    }

    public String operation() {
        return operation;
    }

    public Duration timeout() {
        return timeout;
    }
}
