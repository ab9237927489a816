package io.wattproof.agent.gpio;

import java.util.OptionalInt;

/**
 * A relay output and its optional feedback contact.
 *
 * @param pin BCM GPIO number driving the relay coil (driver stage)
 * @param activeHigh whether a high level closes the relay
 * @param feedbackPin BCM GPIO number of an auxiliary contact that reads the contactor's real
 *     position, if wired
 * @param feedbackActiveHigh whether a high level on it means closed
 */
public record RelayConfig(int pin, boolean activeHigh, OptionalInt feedbackPin, boolean feedbackActiveHigh, Pull feedbackPull) {
    public RelayConfig {
        if (pin < 0 || pin > 27) {
            throw new IllegalArgumentException("relay pin: expected BCM 0..27, got " + pin);
        }
        if (feedbackPin.isPresent() && (feedbackPin.getAsInt() < 0 || feedbackPin.getAsInt() > 27 || feedbackPin.getAsInt() == pin)) {
            throw new IllegalArgumentException("relay feedback pin: expected BCM 0..27 other than " + pin + ", got " + feedbackPin.getAsInt());
        }
    }

    /** The board profile's {@code gpio.relay} line (docs/boards.md); profiles have no feedback line yet. */
    public static RelayConfig fromBoard(io.wattproof.agent.board.BoardProfile.OutputPin relay) {
        return withoutFeedback(relay.pin(), relay.active() == io.wattproof.agent.board.BoardProfile.Level.HIGH);
    }

    public static RelayConfig withoutFeedback(int pin, boolean activeHigh) {
        return new RelayConfig(pin, activeHigh, OptionalInt.empty(), true, Pull.OFF);
    }
}
