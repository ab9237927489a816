package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.transport.ByteTransport;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test double of a null-modem cable: two in-memory {@link ByteTransport}s, each reading what the
 * other writes. Bytes arrive at once and in order, as on an ideal line.
 */
public final class NullModemPair implements AutoCloseable {
    private final End a = new End("null modem end a");
    private final End b = new End("null modem end b");

    public NullModemPair() {
        a.peer = b;
        b.peer = a;
    }

    public ByteTransport a() {
        return a;
    }

    public ByteTransport b() {
        return b;
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }

    private static final class End implements ByteTransport {
        private final String name;
        private final LinkedBlockingQueue<Byte> inbox = new LinkedBlockingQueue<>();
        private End peer;
        private volatile boolean closed;

        End(String name) {
            this.name = name;
        }

        @Override
        public void write(byte[] bytes) throws ModbusIoException {
            requireOpen();
            for (byte x : bytes) {
                peer.inbox.add(x);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
            requireOpen();
            try {
                Byte first = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    requireOpen();
                    return 0;
                }
                buffer[offset] = first;
                int n = 1;
                Byte next;
                while (n < length && (next = inbox.poll()) != null) {
                    buffer[offset + n++] = next;
                }
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModbusIoException(name + ": interrupted");
            }
        }

        @Override
        public void discardInput() throws ModbusIoException {
            requireOpen();
            inbox.clear();
        }

        @Override
        public String describe() {
            return name;
        }

        @Override
        public void close() {
            closed = true;
        }

        private void requireOpen() throws ModbusIoException {
            if (closed) {
                throw new ModbusIoException(name + " is closed");
            }
        }
    }
}
