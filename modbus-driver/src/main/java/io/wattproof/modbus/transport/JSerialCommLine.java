package io.wattproof.modbus.transport;

import com.fazecast.jSerialComm.SerialPort;
import java.util.concurrent.TimeUnit;

/**
 * {@link SerialLine} over an open jSerialComm port configured by {@link SerialPortTransport}: read
 * semi-blocking with a 100 ms timeout (VMIN 0, VTIME 1), write blocking (write, then tcdrain).
 */
final class JSerialCommLine implements SerialLine {
    /**
     * jSerialComm on Linux rounds read timeouts to whole 100 ms (termios VTIME counts tenths of a
     * second) and applies each change with a full reconfiguration of the port; 100 ms is the
     * shortest slice it can block for.
     */
    static final int READ_SLICE_MILLIS = 100;

    private final SerialPort port;

    JSerialCommLine(SerialPort port) {
        this.port = port;
    }

    @Override
    public int bytesAvailable() {
        return port.bytesAvailable();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        return port.readBytes(buffer, length, offset); // jSerialComm's order: count, then offset
    }

    @Override
    public long blockingSliceNanos() {
        return TimeUnit.MILLISECONDS.toNanos(READ_SLICE_MILLIS);
    }

    @Override
    public int write(byte[] bytes) {
        return port.writeBytes(bytes, bytes.length);
    }

    @Override
    public boolean discardInput() {
        // tcflush(TCIOFLUSH): the output queue is empty anyway, since write() drains.
        return port.flushIOBuffers();
    }

    @Override
    public int lastErrorCode() {
        return port.getLastErrorCode();
    }

    @Override
    public void close() {
        port.closePort();
    }
}
