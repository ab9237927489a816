package io.wattproof.modbus;

import java.io.IOException;

/**
 * The link failed: connection refused or reset, closed by the peer, or the master was closed.
 * The cause, when there is one, is the underlying {@link IOException}.
 */
public final class ModbusIoException extends ModbusException {
    public ModbusIoException(String message) {
        super(message);
    }

    public ModbusIoException(String message, IOException cause) {
        super(message, cause);
    }
}
