package io.wattproof.agent.gpio;

/**
 * The contactor that connects a charging pile's outlet to the supply. Commanded only by the
 * charging controller's CloseRelay/OpenRelay (docs/charging.md, "The pile's controller").
 */
public interface Relay {
    /** Connects the outlet: the car may draw. */
    void close() throws GpioException;

    /** Disconnects the outlet. Safe to call when already open. */
    void open() throws GpioException;

    /** What was last commanded (not the feedback contact: see {@link Pi4jRelay#feedbackClosed()}). */
    boolean isClosed();
}
