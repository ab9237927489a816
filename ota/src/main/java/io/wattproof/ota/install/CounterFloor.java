package io.wattproof.ota.install;

import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.MonotonicCounter;

/**
 * The version floor kept in a hardware monotonic counter (docs/ota.md, "Floor in the secure
 * element"), beside the one in the installer's state file. The counter's value is a floor: an
 * image is admitted only above it. The counter is raised by counting up to the version, one
 * increment at a time, never past what is asked except where the hardware itself counts more than
 * one (a power loss during an increment). A counter that cannot be read, cannot count, or cannot
 * hold the version is a refusal ({@link InstallRefusal.Reason#COUNTER}) naming the counter's
 * failure, never a floor of zero.
 */
final class CounterFloor {
    /** Increments in a row that may leave the value unchanged (answers lost on the way) before the counter is given up on. */
    static final int MAX_UNCOUNTED = 3;

    private final MonotonicCounter counter;

    CounterFloor(MonotonicCounter counter) {
        if (counter == null) {
            throw new IllegalArgumentException("counter: expected a monotonic counter, got null");
        }
        this.counter = counter;
    }

    long max() {
        return counter.max();
    }

    /** The floor the counter holds now. */
    Outcome<VersionFloor> read() {
        try {
            return new Outcome.Done<>(new VersionFloor(counter.read()));
        } catch (KeyStoreFailure e) {
            return failed("readable", e);
        }
    }

    /**
     * Whether an image of {@code version} may be installed as far as the counter is concerned:
     * within the counter's range, and above its value once the counter has been brought up to
     * {@code fileFloor} (a counter behind the file is one whose raise a power cut interrupted).
     */
    Outcome<VersionFloor> admit(long version, VersionFloor fileFloor) {
        if (version > counter.max()) {
            return Outcome.refused(InstallRefusal.Reason.COUNTER, "version", "≤ " + counter.max() + " (the counter's maximum)", version);
        }
        Outcome<VersionFloor> floor = catchUp(fileFloor);
        if (!(floor instanceof Outcome.Done<VersionFloor> f)) {
            return floor;
        }
        if (!f.value().admits(version)) {
            return Outcome.refused(InstallRefusal.Reason.ROLLBACK, "version", "> counter floor " + f.value().value(), version);
        }
        return floor;
    }

    /** The counter raised to {@code fileFloor} if it is below it; its value either way. */
    Outcome<VersionFloor> catchUp(VersionFloor fileFloor) {
        Outcome<VersionFloor> now = read();
        if (now instanceof Outcome.Done<VersionFloor> d && d.value().value() < fileFloor.value()) {
            return raiseTo(fileFloor.value());
        }
        return now;
    }

    /** Counts up until the counter is at least {@code version}; its value afterwards. */
    Outcome<VersionFloor> raiseTo(long version) {
        if (version > counter.max()) {
            return Outcome.refused(InstallRefusal.Reason.COUNTER, "version", "≤ " + counter.max() + " (the counter's maximum)", version);
        }
        try {
            long value = counter.read();
            int uncounted = 0;
            while (value < version) {
                long next = counter.increment();
                if (next < value) {
                    return Outcome.refused(InstallRefusal.Reason.COUNTER, "counter", "≥ " + value + " (it never goes down)", next);
                }
                uncounted = next == value ? uncounted + 1 : 0;
                if (uncounted >= MAX_UNCOUNTED) {
                    return Outcome.refused(InstallRefusal.Reason.COUNTER, "counter", "to count up from " + value,
                            "unchanged after " + uncounted + " increments");
                }
                value = next;
            }
            return new Outcome.Done<>(new VersionFloor(value));
        } catch (KeyStoreFailure e) {
            return failed("able to count up to " + version, e);
        }
    }

    private static Outcome<VersionFloor> failed(String expected, KeyStoreFailure e) {
        return Outcome.refused(InstallRefusal.Reason.COUNTER, "counter", expected, e.getMessage());
    }

    @Override
    public String toString() {
        return "CounterFloor[" + counter + "]";
    }
}
