package io.wattproof.agent.meter;

/** A counter of S0 pulses (a GPIO input on the board, or a fake in tests). */
public interface PulseSource extends AutoCloseable {

    /** The count as of now; never blocks on I/O. */
    PulseCount count();

    @Override
    void close();
}
