package io.wattproof.agent.gpio;

import java.time.Instant;
import java.util.Objects;

/**
 * The tamper input changed its debounced state.
 *
 * @param at wall-clock time the change was accepted (after the debounce time)
 * @param active true when tampering began (cover opened), false when it ended
 * @param pin BCM GPIO number of the input
 */
public record TamperEvent(Instant at, boolean active, int pin) {
    public TamperEvent {
        Objects.requireNonNull(at, "at");
    }
}
