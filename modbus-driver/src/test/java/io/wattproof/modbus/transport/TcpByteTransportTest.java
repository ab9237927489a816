package io.wattproof.modbus.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusIoException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpByteTransport} against small loopback servers standing in for a serial gateway. */
@Timeout(20)
class TcpByteTransportTest {
    private static final Duration LONG = Duration.ofSeconds(5);

    private Gateway gateway;
    private TcpByteTransport transport;

    @AfterEach
    void closeAll() throws IOException {
        if (transport != null) {
            transport.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    private TcpByteTransport connectTo(Gateway g) {
        transport = new TcpByteTransport(TcpGatewayConfig.builder("127.0.0.1", g.port()).build());
        return transport;
    }

    @Test
    void connectsOnFirstUseAndCarriesBytesBothWays() throws Exception {
        gateway = Gateway.echo();
        TcpByteTransport t = connectTo(gateway);
        assertFalse(t.isConnected());
        assertEquals(0, gateway.connections.get());

        byte[] frame = {0x11, 0x04, 0x00, 0x00, 0x00, 0x02, 0x72, (byte) 0x9b};
        t.write(frame);
        assertTrue(t.isConnected());
        assertArrayEquals(frame, readExactly(t, frame.length));
        assertEquals(1, gateway.connections.get());
    }

    @Test
    void readTimeoutReturnsZeroAndKeepsTheConnection() throws Exception {
        gateway = Gateway.silent();
        TcpByteTransport t = connectTo(gateway);
        t.write(new byte[] {1});
        byte[] buffer = new byte[4];
        assertEquals(0, t.read(buffer, 0, 4, Duration.ofMillis(50)));
        assertEquals(0, t.read(buffer, 0, 4, Duration.ZERO));
        assertEquals(0, t.read(buffer, 0, 4, Duration.ofNanos(1))); // rounds up to 1 ms, not "forever"
        assertTrue(t.isConnected());
        t.write(new byte[] {2});
        awaitEquals(1, gateway.connections::get);
    }

    @Test
    void discardInputDropsWhatArrivedUnasked() throws Exception {
        // Answers every write with five bytes in one segment.
        gateway = new Gateway((in, out) -> {
            try {
                while (in.read() >= 0) {
                    out.write(new byte[] {1, 2, 3, 4, 5});
                }
            } catch (IOException e) {
                // connection gone
            }
        });
        TcpByteTransport t = connectTo(gateway);
        t.write(new byte[] {0});
        byte[] first = new byte[1];
        assertEquals(1, t.read(first, 0, 1, LONG)); // the rest of the segment is here too
        t.discardInput();
        assertEquals(0, t.read(new byte[8], 0, 8, Duration.ofMillis(50)));
        t.write(new byte[] {0});
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, readExactly(t, 5));
    }

    @Test
    void gatewayClosingIsReportedAndTheNextWriteReconnects() throws Exception {
        // Reads one byte per connection, then hangs up.
        gateway = new Gateway((in, out) -> {
            try {
                in.read();
            } catch (IOException e) {
                // connection gone
            }
        });
        TcpByteTransport t = connectTo(gateway);
        t.write(new byte[] {1});
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.read(new byte[4], 0, 4, LONG));
        assertEquals("rtu-over-tcp gateway 127.0.0.1:" + gateway.port() + ": connection closed by the gateway",
                e.getMessage());
        assertFalse(t.isConnected());

        t.write(new byte[] {2});
        assertTrue(t.isConnected());
        awaitEquals(2, gateway.connections::get);
        awaitEquals(List.of(1, 2), () -> List.copyOf(gateway.firstBytes));
    }

    @Test
    void refusedConnectionIsAClearErrorAndIsRetried() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // closed again: nothing listens there now
        }
        transport = new TcpByteTransport(TcpGatewayConfig.builder("127.0.0.1", port).build());
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> transport.write(new byte[] {1}));
        assertTrue(e.getMessage().startsWith("rtu-over-tcp gateway 127.0.0.1:" + port + ": cannot connect: "),
                e.getMessage());
        assertFalse(transport.isConnected());
        assertThrows(ModbusIoException.class, () -> transport.read(new byte[1], 0, 1, LONG));
    }

    @Test
    void everyOperationFailsAfterClose() throws Exception {
        gateway = Gateway.echo();
        TcpByteTransport t = connectTo(gateway);
        t.write(new byte[] {1});
        t.close();
        t.close();
        String closed = "rtu-over-tcp gateway 127.0.0.1:" + gateway.port() + ": transport is closed";
        assertEquals(closed, assertThrows(ModbusIoException.class, () -> t.write(new byte[] {1})).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG)).getMessage());
        assertEquals(closed, assertThrows(ModbusIoException.class, t::discardInput).getMessage());
        assertFalse(t.isConnected());
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        gateway = Gateway.silent();
        TcpByteTransport t = connectTo(gateway);
        t.write(new byte[] {1});
        Thread closer = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t.close();
        });
        ModbusIoException e = assertThrows(ModbusIoException.class, () -> t.read(new byte[1], 0, 1, LONG));
        assertTrue(e.getMessage().endsWith("transport is closed"), e.getMessage());
        closer.join();
    }

    @Test
    void configIsValidatedAndDescribed() {
        assertEquals("gateway port: expected 1..65535, actual 0", assertThrows(IllegalArgumentException.class,
                () -> TcpGatewayConfig.builder("gw", 0).build()).getMessage());
        assertEquals("gateway host: expected a host name or address, actual blank",
                assertThrows(IllegalArgumentException.class, () -> TcpGatewayConfig.builder(" ", 502).build())
                        .getMessage());
        assertEquals("connect timeout: expected 1 ms..2^31-1 ms, actual PT0S", assertThrows(IllegalArgumentException.class,
                () -> TcpGatewayConfig.builder("gw", 502).connectTimeout(Duration.ZERO).build()).getMessage());
        assertEquals("10.0.0.7:4196 (rtu over tcp)",
                new TcpByteTransport(TcpGatewayConfig.builder("10.0.0.7", 4196).build()).describe());
        assertEquals("[fe80::1]:502", TcpGatewayConfig.builder("fe80::1", 502).build().endpoint());
    }

    /** The server side runs in other threads: wait (bounded) for it to catch up. */
    private static <T> void awaitEquals(T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (!expected.equals(actual.get()) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, actual.get());
    }

    private static byte[] readExactly(TcpByteTransport t, int length) throws ModbusIoException {
        byte[] buffer = new byte[length];
        int filled = 0;
        while (filled < length) {
            int n = t.read(buffer, filled, length - filled, LONG);
            if (n == 0) {
                throw new AssertionError("only " + filled + " of " + length + " bytes: " + Arrays.toString(buffer));
            }
            filled += n;
        }
        return buffer;
    }

    /** A loopback server running {@code session} for every connection; counts connections. */
    private static final class Gateway implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        final List<Integer> firstBytes = new CopyOnWriteArrayList<>();
        private final ServerSocket server;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Gateway(BiConsumer<InputStream, OutputStream> session) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        connections.incrementAndGet();
                        sockets.add(s);
                        Thread.ofVirtual().start(() -> {
                            try (s) {
                                InputStream in = new RecordingInput(s.getInputStream(), firstBytes);
                                session.accept(in, s.getOutputStream());
                            } catch (IOException e) {
                                // connection gone
                            }
                        });
                    }
                } catch (IOException e) {
                    // server closed
                }
            });
        }

        static Gateway echo() throws IOException {
            return new Gateway((in, out) -> {
                try {
                    byte[] buffer = new byte[256];
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // connection gone
                }
            });
        }

        static Gateway silent() throws IOException {
            return new Gateway((in, out) -> {
                try {
                    while (in.read() >= 0) {
                        // swallow
                    }
                } catch (IOException e) {
                    // connection gone
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** Notes the first byte read on each connection. */
    private static final class RecordingInput extends InputStream {
        private final InputStream in;
        private final List<Integer> firstBytes;
        private boolean first = true;

        RecordingInput(InputStream in, List<Integer> firstBytes) {
            this.in = in;
            this.firstBytes = firstBytes;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            note(b);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                note(buffer[offset] & 0xFF);
            }
            return n;
        }

        private void note(int b) {
            if (first && b >= 0) {
                first = false;
                firstBytes.add(b);
            }
        }
    }
}
