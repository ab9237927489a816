package io.wattproof.crypto.atecc608;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * How the driver waits between writing a command and polling for its result. Injected so a test
 * double of the chip can run on virtual time: its clock advances exactly by the waits the driver
 * asks for, and no test sleeps.
 */
@FunctionalInterface
public interface Pause {
    void pause(Duration duration);

    /** Parks the calling thread; an interrupt ends the wait early and stays set for the caller. */
    Pause THREAD = duration -> LockSupport.parkNanos(duration.toNanos());
}
