package io.wattproof.modbus.transport;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A scripted {@link SerialLine}: bytes to receive are queued by the test, writes are recorded along
 * with whatever {@code onWrite} observes at that moment (e.g. the direction pin's state).
 */
final class ScriptedSerialLine implements SerialLine {
    private final ArrayDeque<Byte> incoming = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Object> observedDuringWrites = new ArrayList<>();
    private final long sliceNanos;
    private Supplier<Object> onWrite = () -> null;
    private IntSupplier writeResult; // null: write everything
    private RuntimeException writeFailure;
    private int availableOverride = Integer.MIN_VALUE;
    private boolean discardFails;
    private int errno;
    private boolean closed;
    int discards;

    ScriptedSerialLine(long sliceMillis) {
        this.sliceNanos = TimeUnit.MILLISECONDS.toNanos(sliceMillis);
    }

    synchronized void receive(int... bytes) {
        for (int b : bytes) {
            incoming.add((byte) b);
        }
        notifyAll();
    }

    synchronized byte[] written() {
        return written.toByteArray();
    }

    synchronized List<Object> observedDuringWrites() {
        return List.copyOf(observedDuringWrites);
    }

    synchronized void observeDuringWrite(Supplier<Object> observer) {
        this.onWrite = observer;
    }

    /** Next writes report {@code count} bytes written and set errno. */
    synchronized void failWrites(int count, int errno) {
        this.writeResult = () -> count;
        this.errno = errno;
    }

    synchronized void throwOnWrite(RuntimeException e) {
        this.writeFailure = e;
    }

    synchronized void failReads(int errno) {
        this.availableOverride = -1;
        this.errno = errno;
    }

    synchronized void failDiscard(int errno) {
        this.discardFails = true;
        this.errno = errno;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized int bytesAvailable() {
        if (closed) {
            return -1;
        }
        return availableOverride != Integer.MIN_VALUE ? availableOverride : incoming.size();
    }

    @Override
    public synchronized int read(byte[] buffer, int offset, int length) {
        if (closed) {
            return -1;
        }
        if (incoming.isEmpty()) {
            // Like VMIN 0 / VTIME: wait one slice for the first byte.
            long deadline = System.nanoTime() + sliceNanos;
            long remaining;
            while (incoming.isEmpty() && !closed && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            if (closed) {
                return -1;
            }
        }
        int n = 0;
        while (n < length && !incoming.isEmpty()) {
            buffer[offset + n++] = incoming.poll();
        }
        return n;
    }

    @Override
    public long blockingSliceNanos() {
        return sliceNanos;
    }

    @Override
    public int write(byte[] bytes) {
        Object observed = onWrite.get(); // outside the lock: the observer may look at other objects
        synchronized (this) {
            observedDuringWrites.add(observed);
            if (writeFailure != null) {
                throw writeFailure;
            }
            if (closed) {
                return -1;
            }
            int count = writeResult == null ? bytes.length : Math.min(writeResult.getAsInt(), bytes.length);
            written.write(bytes, 0, Math.max(count, 0));
            return count;
        }
    }

    @Override
    public synchronized boolean discardInput() {
        discards++;
        if (discardFails || closed) {
            return false;
        }
        incoming.clear();
        return true;
    }

    @Override
    public synchronized int lastErrorCode() {
        return errno;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
