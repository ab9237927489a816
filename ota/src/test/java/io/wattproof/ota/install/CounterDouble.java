package io.wattproof.ota.install;

import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.MonotonicCounter;

/**
 * A monotonic counter in memory, standing in for the secure element's: counts up only, refuses to
 * count past {@link #max()}, and can be made to fail every call, as a chip that stopped answering.
 * It outlives the installers and stores a test makes, as the chip outlives restarts.
 */
final class CounterDouble implements MonotonicCounter {
    private final long max;
    private long value;
    private int increments;
    private String broken;

    CounterDouble() {
        this(0, 2_097_151);
    }

    CounterDouble(long value, long max) {
        this.value = value;
        this.max = max;
    }

    /** From now on every call fails with {@code why}, until {@link #repair()}. */
    void breakWith(String why) {
        broken = why;
    }

    void repair() {
        broken = null;
    }

    long value() {
        return value;
    }

    int increments() {
        return increments;
    }

    @Override
    public long read() throws KeyStoreFailure {
        if (broken != null) {
            throw new KeyStoreFailure(broken);
        }
        return value;
    }

    @Override
    public long increment() throws KeyStoreFailure {
        if (broken != null) {
            throw new KeyStoreFailure(broken);
        }
        if (value >= max) {
            throw new KeyStoreFailure("counter at its maximum " + max);
        }
        increments++;
        return ++value;
    }

    @Override
    public long max() {
        return max;
    }
}
