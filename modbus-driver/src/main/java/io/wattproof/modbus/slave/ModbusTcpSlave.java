package io.wattproof.modbus.slave;

import io.wattproof.modbus.frame.tcp.MbapFrame;
import io.wattproof.modbus.frame.tcp.MbapParser;
import io.wattproof.modbus.pdu.PduCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Modbus TCP server serving FC 03, 04, 06, 16 and 43/14 from a {@link RegisterBank}, one virtual
 * thread per connection. Requests on one connection are answered in order; a client may pipeline
 * several (Implementation Guide V1.0b section 4.2.1 allows more than one outstanding transaction).
 *
 * <p>Requests are answered by {@link RequestHandler}, which maps failures to exception
 * responses (Application Protocol V1.1b3 section 7): an unimplemented function gets 0x01, a
 * quantity out of range 0x03, an address range past 65535 0x02, whatever the bank throws as {@link
 * io.wattproof.modbus.ModbusExceptionResponse} its code, and a bank failure 0x04. A request for a
 * unit id this server does not answer, or without a usable function code, gets no answer. A broken
 * MBAP header closes the connection, since the stream cannot be resynchronised.
 *
 * <p>{@link #close()} stops accepting, closes every connection, waits for their threads and
 * releases the port, so a new server can bind the same port at once.
 */
public final class ModbusTcpSlave implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModbusTcpSlave.class);
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

    private final ModbusTcpSlaveConfig config;
    private final RegisterBank bank;
    private final ServerSocket serverSocket;
    private final Thread acceptor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ModbusTcpSlave(ModbusTcpSlaveConfig config, RegisterBank bank, ServerSocket serverSocket) {
        this.config = config;
        this.bank = bank;
        this.serverSocket = serverSocket;
        this.acceptor = Thread.ofVirtual().name("modbus-slave-accept-" + serverSocket.getLocalPort()).unstarted(this::acceptLoop);
    }

    /** Binds {@code config.bindAddress()} and starts serving; returns once the port is bound. */
    public static ModbusTcpSlave start(ModbusTcpSlaveConfig config, RegisterBank bank) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(bank, "bank");
        ServerSocket serverSocket = new ServerSocket();
        try {
            // Lets a restarted server bind the port while old connections linger in TIME_WAIT.
            serverSocket.setReuseAddress(true);
            serverSocket.bind(config.bindAddress(), config.backlog());
        } catch (IOException e) {
            serverSocket.close();
            throw e;
        }
        ModbusTcpSlave slave = new ModbusTcpSlave(config, bank, serverSocket);
        slave.acceptor.start();
        log.debug("modbus slave listening address={} unitIds={}", slave.localAddress(),
                config.unitIds().isEmpty() ? "any" : config.unitIds());
        return slave;
    }

    /** The bound port (the ephemeral one when the configuration asked for port 0). */
    public int port() {
        return serverSocket.getLocalPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverSocket.getLocalSocketAddress();
    }

    public ModbusTcpSlaveConfig config() {
        return config;
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("modbus slave accept failed port={} error={}", port(), e.toString());
                }
                return;
            }
            connections.add(socket);
            if (closed) {
                // close() may have swept the set before this socket was added.
                closeQuietly(socket);
                connections.remove(socket);
                return;
            }
            Thread handler = Thread.ofVirtual()
                    .name("modbus-slave-conn-" + socket.getRemoteSocketAddress())
                    .unstarted(() -> serve(socket));
            handlers.add(handler);
            handler.start();
        }
    }

    private void serve(Socket socket) {
        String peer = String.valueOf(socket.getRemoteSocketAddress());
        log.debug("modbus slave connection opened peer={}", peer);
        String outcome = "closed by peer";
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[1024];
            MbapParser state = MbapParser.start();
            read:
            while (true) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                state = state.feed(buffer, 0, n);
                while (true) {
                    switch (state) {
                        case MbapParser.Complete c -> {
                            Optional<MbapFrame> answer = answer(c.frame());
                            if (answer.isPresent()) {
                                out.write(answer.get().encode());
                                out.flush();
                            }
                            state = c.next();
                        }
                        case MbapParser.Failed f -> {
                            outcome = "framing error: " + f.violation().message();
                            break read;
                        }
                        case MbapParser.Accumulating a -> {
                            continue read;
                        }
                    }
                }
            }
        } catch (IOException e) {
            outcome = closed ? "server closed" : "i/o error: " + e.getMessage();
        } finally {
            connections.remove(socket);
            handlers.remove(Thread.currentThread());
            log.debug("modbus slave connection ended peer={} outcome={}", peer, outcome);
        }
    }

    /** The response frame to {@code request}, or empty when the request gets no answer. */
    Optional<MbapFrame> answer(MbapFrame request) {
        if (!config.answers(request.unitId())) {
            return Optional.empty();
        }
        return RequestHandler.answer(bank, request.pdu())
                .map(response -> new MbapFrame(request.transactionId(), request.unitId(), PduCodec.encode(response)));
    }

    /** Stops accepting, closes every connection and waits (up to 5 s) for their threads to end. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            log.debug("modbus slave close of listening socket failed port={} error={}", port(), e.toString());
        }
        for (Socket s : connections) {
            closeQuietly(s);
        }
        join(acceptor);
        for (Thread t : handlers) {
            join(t);
        }
        log.debug("modbus slave closed address={}", serverSocket.getLocalSocketAddress());
    }

    private static void join(Thread t) {
        try {
            if (!t.join(JOIN_TIMEOUT)) {
                log.warn("modbus slave thread did not stop thread={}", t.getName());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // The connection is being discarded.
        }
    }

    @Override
    public String toString() {
        return "ModbusTcpSlave[" + serverSocket.getLocalSocketAddress() + "]";
    }
}
