package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.transport.ByteTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Test double of a serial line, in memory: what the master writes goes to a scripted peer, whose
 * answer arrives in timed chunks, as a UART delivers bytes. Bytes due but not read are what {@link
 * #discardInput} drops; bytes not yet due are still "on the wire" and survive it, as on a real line.
 */
public final class FakeSerialLine implements ByteTransport {

    /** Bytes the peer puts on the line {@code after} the request was written. */
    public record Delivery(Duration after, byte[] bytes) {
        public Delivery {
            Objects.requireNonNull(after, "after");
            bytes = bytes.clone();
        }

        public static Delivery now(byte[] bytes) {
            return new Delivery(Duration.ZERO, bytes);
        }

        public static Delivery after(long millis, byte[] bytes) {
            return new Delivery(Duration.ofMillis(millis), bytes);
        }
    }

    private record Pending(long due, long order, byte[] bytes) {}

    private final Function<byte[], List<Delivery>> peer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private final List<byte[]> written = new ArrayList<>();
    private byte[] due = new byte[0];
    private long order;
    private boolean closed;

    /** @param peer maps each written frame to what the peer sends back (empty: silence) */
    public FakeSerialLine(Function<byte[], List<Delivery>> peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public void write(byte[] bytes) throws ModbusIoException {
        List<Delivery> answer;
        lock.lock();
        try {
            requireOpen();
            written.add(bytes.clone());
        } finally {
            lock.unlock();
        }
        answer = peer.apply(bytes.clone());
        lock.lock();
        try {
            long now = System.nanoTime();
            for (Delivery d : answer) {
                pending.add(new Pending(now + d.after().toNanos(), order++, d.bytes()));
            }
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length, Duration timeout) throws ModbusIoException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                requireOpen();
                collectDue();
                if (due.length > 0) {
                    int n = Math.min(length, due.length);
                    System.arraycopy(due, 0, buffer, offset, n);
                    due = Arrays.copyOfRange(due, n, due.length);
                    return n;
                }
                long now = System.nanoTime();
                if (now >= deadline) {
                    return 0;
                }
                long wake = pending.isEmpty() ? deadline : Math.min(deadline, pending.peek().due);
                arrived.awaitNanos(Math.max(1, wake - now));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModbusIoException("interrupted");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void discardInput() throws ModbusIoException {
        lock.lock();
        try {
            requireOpen();
            collectDue();
            due = new byte[0];
        } finally {
            lock.unlock();
        }
    }

    /** Every frame written so far, in order. */
    public List<byte[]> written() {
        lock.lock();
        try {
            return written.stream().map(byte[]::clone).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "fake serial line";
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void collectDue() {
        long now = System.nanoTime();
        while (!pending.isEmpty() && pending.peek().due <= now) {
            byte[] b = pending.poll().bytes;
            byte[] joined = Arrays.copyOf(due, due.length + b.length);
            System.arraycopy(b, 0, joined, due.length, b.length);
            due = joined;
        }
    }

    private void requireOpen() throws ModbusIoException {
        if (closed) {
            throw new ModbusIoException("fake serial line is closed");
        }
    }
}
