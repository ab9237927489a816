package io.wattproof.modbus.transport;

import com.fazecast.jSerialComm.SerialPort;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.testing.SocatPtyPair;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: measures write + read round trips through a socat pty pair with an echoing peer, for
 * the read strategy of {@link SerialPortTransport} against the obvious one (jSerialComm's
 * setComPortTimeouts before every read). Command and results: docs/benchmarks.md, "Serial reads
 * through jSerialComm 2.11.4". Arguments: {@code [roundTrips] [frameLength] [baud]
 * [strategy,...]}.
 *
 * <p>A pty moves bytes at memory speed whatever the baud rate, so this measures per-call overhead
 * (system calls, reconfiguration, wake-up latency), not the line.
 */
public final class SerialRoundTripBenchmark {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

    private SerialRoundTripBenchmark() {}

    /** The client side of one strategy: send a frame, then collect the same number of bytes. */
    private interface Client extends AutoCloseable {
        void write(byte[] frame) throws Exception;

        int read(byte[] buffer, int offset, int length) throws Exception;

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        int roundTrips = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int frameLength = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int baud = args.length > 2 ? Integer.parseInt(args[2]) : 9600;
        String[] strategies = args.length > 3 ? args[3].split(",")
                : new String[] {"transport-1s", "transport-50ms", "naive-1s", "naive-50ms"};
        String settings = baud + " 8N1";
        System.out.printf(Locale.ROOT, "%d round trips of %d bytes per strategy through socat ptys, %s configured%n",
                roundTrips, frameLength, settings);
        // All strategies run side by side, interleaved in blocks, so that load from other processes
        // on a shared machine spreads over all of them instead of skewing one.
        int blocks = 20;
        int perBlock = Math.max(1, roundTrips / blocks);
        List<Run> runs = new ArrayList<>();
        try {
            for (String strategy : strategies) {
                runs.add(new Run(strategy, settings, frameLength, perBlock * blocks));
            }
            for (Run run : runs) {
                run.trips(200); // warm-up: JIT, caches
                run.reset();
            }
            for (int block = 0; block < blocks; block++) {
                for (Run run : runs) {
                    run.trips(perBlock);
                }
            }
            for (Run run : runs) {
                run.report();
            }
        } finally {
            for (Run run : runs) {
                run.close();
            }
        }
    }

    /** One strategy: its own pty pair, echo thread and client, and the samples taken so far. */
    private static final class Run implements AutoCloseable {
        private final String strategy;
        private final SocatPtyPair pty;
        private final SerialPortTransport echoSide;
        private final Thread echo;
        private final Client client;
        private final byte[] frame;
        private final byte[] buffer;
        private final long[] nanos;
        private int count;
        private long cpuNanos;

        Run(String strategy, String settings, int frameLength, int capacity) throws Exception {
            this.strategy = strategy;
            this.pty = SocatPtyPair.start();
            this.echoSide = SerialPortTransport.open(
                    SerialLineConfig.builder(pty.b().toString()).lineSettings(settings).build());
            this.echo = Thread.ofPlatform().daemon().start(() -> echo(echoSide));
            this.client = client(strategy, pty, settings);
            this.frame = new byte[frameLength];
            this.buffer = new byte[frameLength];
            this.nanos = new long[capacity];
        }

        void trips(int n) throws Exception {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                frame[0] = (byte) i;
                long start = System.nanoTime();
                roundTrip(client, frame, buffer);
                long elapsed = System.nanoTime() - start;
                if (buffer[0] != frame[0]) {
                    throw new IllegalStateException(strategy + ": echo out of step");
                }
                if (count < nanos.length) {
                    nanos[count++] = elapsed;
                }
            }
            cpuNanos += threads.getCurrentThreadCpuTime() - cpuBefore;
        }

        void reset() {
            count = 0;
            cpuNanos = 0;
        }

        void report() {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0);
            System.out.printf(Locale.ROOT,
                    "%-15s mean %7.1f us  median %7.1f us  p90 %7.1f us  p99 %8.1f us  client cpu %5.1f us/trip%n",
                    strategy, mean / 1e3, sorted[count / 2] / 1e3, sorted[(int) (count * 0.9)] / 1e3,
                    sorted[(int) (count * 0.99)] / 1e3, cpuNanos / 1e3 / count);
        }

        @Override
        public void close() throws Exception {
            client.close();
            echoSide.close();
            echo.join(5000);
            pty.close();
        }
    }

    private static void roundTrip(Client client, byte[] frame, byte[] buffer) throws Exception {
        client.write(frame);
        int filled = 0;
        while (filled < frame.length) {
            int n = client.read(buffer, filled, frame.length - filled);
            if (n == 0) {
                throw new IllegalStateException("no echo within the read timeout");
            }
            filled += n;
        }
    }

    private static void echo(SerialPortTransport side) {
        byte[] buffer = new byte[512];
        try {
            while (true) {
                int n = side.read(buffer, 0, buffer.length, READ_TIMEOUT);
                if (n > 0) {
                    side.write(Arrays.copyOf(buffer, n));
                }
            }
        } catch (ModbusIoException e) {
            // closed at the end of a run
        }
    }

    private static Client client(String strategy, SocatPtyPair pty, String settings) throws Exception {
        SerialLineConfig config = SerialLineConfig.builder(pty.a().toString()).lineSettings(settings).build();
        Duration timeout = strategy.endsWith("50ms") ? Duration.ofMillis(50) : READ_TIMEOUT;
        if (strategy.startsWith("transport")) {
            SerialPortTransport t = SerialPortTransport.open(config);
            return new Client() {
                @Override
                public void write(byte[] frame) throws Exception {
                    t.write(frame);
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws Exception {
                    return t.read(buffer, offset, length, timeout);
                }

                @Override
                public void close() {
                    t.close();
                }
            };
        }
        // naive: what a first implementation does, setting the read timeout before every read
        SerialPort port = SerialPort.getCommPort(config.portPath());
        port.setComPortParameters(config.baudRate(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                (int) timeout.toMillis(), 0);
        if (!port.openPort()) {
            throw new IllegalStateException("cannot open " + config.portPath() + ": errno " + port.getLastErrorCode());
        }
        return new Client() {
            @Override
            public void write(byte[] frame) {
                if (port.writeBytes(frame, frame.length) != frame.length) {
                    throw new IllegalStateException("write failed");
                }
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                        (int) timeout.toMillis(), 0);
                int n = port.readBytes(buffer, length, offset);
                if (n < 0) {
                    throw new IllegalStateException("read failed: errno " + port.getLastErrorCode());
                }
                return n;
            }

            @Override
            public void close() {
                port.closePort();
            }
        };
    }
}
