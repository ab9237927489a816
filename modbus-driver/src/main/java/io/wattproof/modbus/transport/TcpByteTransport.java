package io.wattproof.modbus.transport;

import io.wattproof.modbus.ModbusIoException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * {@link ByteTransport} over a TCP connection to a serial gateway in RTU-over-TCP mode: the bytes of
 * RTU frames, CRC included, travel unchanged (see {@link TcpGatewayConfig}).
 *
 * <p>Connects lazily, on the first write or read. After any I/O failure, or when the gateway closes
 * the connection, the socket is dropped and the failure reported; the next call connects again.
 * TCP_NODELAY is set: frames are a few bytes and every one waits for an answer, so Nagle's
 * algorithm would only add delay.
 *
 * <p>{@link #write} returns once the bytes are in the kernel's send buffer; when they leave the
 * gateway's UART is not visible from here, so a master's response timeout has to allow for the
 * gateway's serial transmission time.
 */
public final class TcpByteTransport implements ByteTransport {
    private final TcpGatewayConfig config;
    private volatile Socket socket; // null while disconnected
    private volatile boolean closed;

    public TcpByteTransport(TcpGatewayConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public TcpGatewayConfig config() {
        return config;
    }

    /** True while a connection is open (the gateway may still have closed it without our knowing). */
    public boolean isConnected() {
        return socket != null;
    }

    @Override
    public void write(byte[] bytes) throws ModbusIoException {
        Objects.requireNonNull(bytes, "bytes");
        Socket s = connected();
        try {
            s.getOutputStream().write(bytes); // unbuffered: one send() per frame
        } catch (IOException e) {
            throw drop(s, "write failed", e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: expected >= 0, actual " + timeout);
        }
        Socket s = connected();
        if (length == 0) {
            return 0;
        }
        try {
            InputStream in = s.getInputStream();
            if (timeout.isZero() || in.available() > 0) {
                int available = in.available();
                if (available == 0) {
                    return 0;
                }
                return checkNotEof(s, in.read(buffer, offset, Math.min(length, available)));
            }
            // SO_TIMEOUT counts whole milliseconds and 0 would mean forever: round up to at least 1.
            long millis = Math.max(1, ceilMillis(timeout));
            s.setSoTimeout((int) Math.min(millis, Integer.MAX_VALUE));
            return checkNotEof(s, in.read(buffer, offset, length));
        } catch (SocketTimeoutException e) {
            return 0; // the connection stays usable after a read timeout
        } catch (IOException e) {
            throw drop(s, "read failed", e);
        }
    }

    private int checkNotEof(Socket s, int n) throws ModbusIoException {
        if (n < 0) {
            disconnect(s);
            throw new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": connection closed by the gateway");
        }
        return n;
    }

    @Override
    public void discardInput() throws ModbusIoException {
        Socket s = connected();
        try {
            InputStream in = s.getInputStream();
            byte[] sink = new byte[256];
            int available;
            while ((available = in.available()) > 0) {
                checkNotEof(s, in.read(sink, 0, Math.min(sink.length, available)));
            }
        } catch (IOException e) {
            throw drop(s, "discarding received bytes failed", e);
        }
    }

    @Override
    public String describe() {
        return config.endpoint() + " (rtu over tcp)";
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            disconnect(s);
        }
    }

    private Socket connected() throws ModbusIoException {
        if (closed) {
            throw new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": transport is closed");
        }
        Socket s = socket;
        if (s != null) {
            return s;
        }
        s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
        } catch (SocketTimeoutException e) {
            closeQuietly(s);
            throw new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": no connection within "
                    + config.connectTimeout().toMillis() + " ms", e);
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: the host name did not resolve (InetSocketAddress is then unresolved).
            closeQuietly(s);
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": cannot connect: " + reason,
                    e instanceof IOException io ? io : new IOException(e));
        }
        if (closed) {
            closeQuietly(s); // closed while connecting
            throw new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": transport is closed");
        }
        socket = s;
        return s;
    }

    private ModbusIoException drop(Socket s, String what, IOException e) {
        disconnect(s);
        if (closed) {
            return new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": transport is closed", e);
        }
        return new ModbusIoException("rtu-over-tcp gateway " + config.endpoint() + ": " + what + ": " + e.getMessage()
                + " (reconnecting on the next call)", e);
    }

    private void disconnect(Socket s) {
        if (socket == s) {
            socket = null;
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // The socket is being discarded either way.
        }
    }

    private static long ceilMillis(Duration d) {
        try {
            long nanos = d.toNanos();
            return Math.ceilDiv(nanos, 1_000_000L);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "TcpByteTransport[" + config.endpoint() + "]";
    }
}
