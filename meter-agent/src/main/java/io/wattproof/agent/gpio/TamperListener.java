package io.wattproof.agent.gpio;

/**
 * Told at once when the tamper input changes, for an immediate event to the operator (the record
 * flag travels separately, with the next record). Called on a GPIO thread: must not block.
 */
@FunctionalInterface
public interface TamperListener {
    void tamperChanged(TamperEvent event);
}
