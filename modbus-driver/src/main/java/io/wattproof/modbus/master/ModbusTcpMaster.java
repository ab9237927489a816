package io.wattproof.modbus.master;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusProtocolException.Kind;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.tcp.MbapFrame;
import io.wattproof.modbus.frame.tcp.MbapParser;
import io.wattproof.modbus.pdu.DecodeResult;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.pdu.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Modbus TCP client over one plain socket, one request at a time (callers are serialised; a
 * meter answers one request at a time anyway).
 *
 * <p>Connects lazily on the first call. After an I/O failure, a timeout or a protocol violation the
 * socket is closed and the next call connects again: after a timeout a late response may still be
 * on its way, and after a violation the stream may be out of step, so reusing the connection would
 * pair the next request with a stale answer. An exception response is a well-formed answer and
 * keeps the connection.
 *
 * <p>Each response is checked against its request (Implementation Guide V1.0b section 3.1.3 and
 * 4.4.1.2): transaction id and unit id are echoed, the function code is the request's (or the
 * request's with the 0x80 error bit), the byte count matches the requested quantity, and a write's
 * echo matches what was written ({@link PduCodec#decodeResponse(ModbusRequest, byte[])}).
 */
public final class ModbusTcpMaster implements ModbusMaster {
    private final ModbusTcpMasterConfig config;
    private Socket socket; // guarded by this; null when disconnected
    private int lastTransactionId; // guarded by this
    private boolean closed; // guarded by this

    public ModbusTcpMaster(ModbusTcpMasterConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public ModbusTcpMasterConfig config() {
        return config;
    }

    /** True while a connection is open (it may still have been closed by the peer). */
    public synchronized boolean isConnected() {
        return socket != null;
    }

    @Override
    public synchronized ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
        Objects.requireNonNull(request, "request");
        if (unitId < 0 || unitId > 0xFF) {
            throw new IllegalArgumentException("unit id: expected 0..255, actual " + unitId);
        }
        if (closed) {
            throw new ModbusIoException("master for " + config.endpoint() + " is closed");
        }
        int transactionId = nextTransactionId();
        MbapFrame requestFrame = new MbapFrame(transactionId, unitId, PduCodec.encode(request));
        try {
            return exchange(requestFrame, request);
        } catch (ModbusTimeoutException | ModbusProtocolException | ModbusIoException e) {
            disconnect();
            throw e;
        }
    }

    private ModbusResponse exchange(MbapFrame requestFrame, ModbusRequest request) throws ModbusException {
        Socket s = connected();
        MbapFrame responseFrame;
        try {
            OutputStream out = s.getOutputStream();
            out.write(requestFrame.encode());
            out.flush();
            responseFrame = readFrame(s, requestFrame);
        } catch (SocketTimeoutException e) {
            throw responseTimeout(requestFrame);
        } catch (IOException e) {
            throw new ModbusIoException(describe(requestFrame) + ": " + e.getMessage(), e);
        }
        byte[] responseBytes = responseFrame.encode();
        if (responseFrame.transactionId() != requestFrame.transactionId()) {
            throw new ModbusProtocolException(Kind.UNEXPECTED_TRANSACTION, "transaction id",
                    Hex.wordValue(requestFrame.transactionId()),
                    Hex.wordValue(responseFrame.transactionId()), Hex.bytes(responseBytes));
        }
        if (responseFrame.unitId() != requestFrame.unitId()) {
            throw new ModbusProtocolException(Kind.UNEXPECTED_UNIT, "unit id", Integer.toString(requestFrame.unitId()),
                    Integer.toString(responseFrame.unitId()), Hex.bytes(responseBytes));
        }
        return switch (PduCodec.decodeResponse(request, responseFrame.pdu())) {
            case DecodeResult.Invalid<ModbusResponse>(Violation v) -> throw new ModbusProtocolException(v);
            case DecodeResult.Decoded<ModbusResponse>(ExceptionResponse e) -> throw new ModbusExceptionResponse(e);
            case DecodeResult.Decoded<ModbusResponse>(ModbusResponse r) -> r;
        };
    }

    /** Reads until one whole frame arrived, within the response timeout counted from now. */
    private MbapFrame readFrame(Socket s, MbapFrame requestFrame) throws IOException, ModbusException {
        long deadline = System.nanoTime() + config.responseTimeout().toNanos();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[MbapFrame.MAX_FRAME_LENGTH];
        MbapParser state = MbapParser.start();
        while (true) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0) {
                throw responseTimeout(requestFrame);
            }
            s.setSoTimeout((int) remainingMillis);
            int n = in.read(buffer);
            if (n < 0) {
                throw new ModbusIoException(describe(requestFrame) + ": connection closed by the server");
            }
            state = state.feed(buffer, 0, n);
            switch (state) {
                case MbapParser.Accumulating a -> {
                    // keep reading
                }
                case MbapParser.Failed f -> throw new ModbusProtocolException(f.violation());
                case MbapParser.Complete c -> {
                    if (c.remainder().length > 0) {
                        // One request is outstanding, so the server has nothing else to send.
                        byte[] frame = c.frame().encode();
                        throw new ModbusProtocolException("response length", frame.length + " bytes",
                                (frame.length + c.remainder().length) + " bytes",
                                Hex.bytes(frame) + " | " + Hex.bytes(c.remainder()));
                    }
                    return c.frame();
                }
            }
        }
    }

    private Socket connected() throws ModbusException {
        if (socket != null) {
            return socket;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true); // requests are tiny and latency-bound
            s.connect(new InetSocketAddress(config.host(), config.port()), (int) config.connectTimeout().toMillis());
        } catch (SocketTimeoutException e) {
            closeQuietly(s);
            throw new ModbusTimeoutException("connect to " + config.endpoint(), config.connectTimeout());
        } catch (IOException | IllegalArgumentException e) {
            // IllegalArgumentException: unresolvable host (InetSocketAddress is then unresolved).
            closeQuietly(s);
            throw new ModbusIoException("connect to " + config.endpoint() + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        socket = s;
        return s;
    }

    private int nextTransactionId() {
        lastTransactionId = (lastTransactionId + 1) & 0xFFFF;
        return lastTransactionId;
    }

    private ModbusTimeoutException responseTimeout(MbapFrame requestFrame) {
        return new ModbusTimeoutException("response to " + describe(requestFrame), config.responseTimeout());
    }

    private String describe(MbapFrame requestFrame) {
        byte[] pdu = requestFrame.pdu();
        return "function " + Hex.byteValue(pdu[0] & 0xFF) + " to unit " + requestFrame.unitId() + " at "
                + config.endpoint() + " (transaction id " + Hex.wordValue(requestFrame.transactionId()) + ")";
    }

    private void disconnect() {
        if (socket != null) {
            closeQuietly(socket);
            socket = null;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Nothing to do: the socket is being discarded.
        }
    }

    /** Closes the socket; waits for a request in progress to end (at most the response timeout). */
    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }

    @Override
    public String toString() {
        return "ModbusTcpMaster[" + config.endpoint() + "]";
    }
}
