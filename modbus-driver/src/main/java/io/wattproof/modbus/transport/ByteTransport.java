package io.wattproof.modbus.transport;

import io.wattproof.modbus.ModbusIoException;
import java.time.Duration;

/**
 * A byte pipe to the Modbus line: a serial port, or a TCP socket to a serial gateway carrying RTU
 * frames. It only moves bytes; framing, CRC, timing rules and retries belong to the master or
 * slave that uses it. Not thread-safe: one master or slave owns a transport.
 *
 * <p>Implementations open lazily or in their factory, and after a failure the owner may call
 * {@link #write} again: a transport that can reconnect (TCP) does so then.
 */
public interface ByteTransport extends AutoCloseable {

    /**
     * Sends {@code bytes} and returns once they have left the host: for a serial line with
     * direction control, once the last stop bit is on the wire, so the caller may release the bus.
     */
    void write(byte[] bytes) throws ModbusIoException;

    /**
     * Waits up to {@code timeout} for at least one byte and reads what is available, at most {@code
     * length} bytes, into {@code buffer} at {@code offset}.
     *
     * @return the number of bytes read, 0 if none arrived within {@code timeout}
     */
    int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException;

    /** Drops every byte received and not yet read (a late answer, noise), without waiting. */
    void discardInput() throws ModbusIoException;

    /** What this transport is connected to, for messages: {@code "/dev/ttyUSB0 9600 8E1"}. */
    String describe();

    /** Releases the port or socket; later calls fail with {@link ModbusIoException}. */
    @Override
    void close();
}
