package io.wattproof.agent.gpio;

import java.time.Duration;
import java.util.Objects;

/**
 * Wiring of a tamper contact (enclosure or terminal-cover switch) to a GPIO input.
 *
 * @param pin BCM GPIO number
 * @param activeHigh whether the pin is high while tampering (e.g. a normally-closed switch to
 *     ground with a pull-up opens and lets the pin go high when the cover is lifted)
 * @param pull internal bias resistor
 * @param debounce how long the tampering level must hold to count, 0 .. 10 s
 */
public record TamperInputConfig(int pin, boolean activeHigh, Pull pull, Duration debounce) {
    public TamperInputConfig {
        if (pin < 0 || pin > 63) {
            throw new IllegalArgumentException("tamper pin: expected a GPIO number 0..63, got " + pin);
        }
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("tamper debounce: expected 0..10000 ms, got " + debounce.toMillis() + " ms");
        }
    }
}
