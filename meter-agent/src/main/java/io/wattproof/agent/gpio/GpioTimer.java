package io.wattproof.agent.gpio;

/**
 * Monotonic time and delayed tasks for the GPIO adapters: a thread on the board
 * ({@link ScheduledGpioTimer}), a manually advanced fake in tests, so no test sleeps.
 */
public interface GpioTimer {

    /** Monotonic nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Runs {@code task} once, no earlier than {@code delayNanos} after now. */
    Cancellable schedule(long delayNanos, Runnable task);

    /** A scheduled task that has not run yet can be cancelled; cancelling later does nothing. */
    interface Cancellable {
        void cancel();
    }
}
