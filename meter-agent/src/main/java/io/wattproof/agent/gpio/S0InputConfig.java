package io.wattproof.agent.gpio;

import java.time.Duration;
import java.util.Objects;

/**
 * Wiring of an S0 output to a GPIO input.
 *
 * <p>An S0 output (DIN 43864, IEC 62053-31 class A) is a passive switch that closes for each pulse
 * for at least 30 ms and stays open at least 30 ms between pulses. Wired with S0- to ground and S0+
 * to the pin with a pull-up, a pulse pulls the pin low ({@code pulseHigh = false}); wired with S0+
 * to 3.3 V and S0- to the pin with a pull-down, a pulse drives it high ({@code pulseHigh = true}).
 *
 * @param pin BCM GPIO number
 * @param pulseHigh whether the pin is high during a pulse: the rising edge starts a pulse if true,
 *     the falling edge if false
 * @param pull internal bias resistor
 * @param debounce minimum time a level must hold to count, 0 .. 30 ms: longer than the input's
 *     bounce, and no longer than the shortest pulse and pause the standard allows (30 ms), which a
 *     longer debounce would drop
 */
public record S0InputConfig(int pin, boolean pulseHigh, Pull pull, Duration debounce) {
    /** The shortest pulse and pause of an S0 output, DIN 43864 / IEC 62053-31. */
    public static final Duration MIN_PULSE = Duration.ofMillis(30);

    public S0InputConfig {
        if (pin < 0 || pin > 63) {
            throw new IllegalArgumentException("s0 pin: expected a GPIO number 0..63, got " + pin);
        }
        Objects.requireNonNull(pull, "pull");
        Objects.requireNonNull(debounce, "debounce");
        if (debounce.isNegative() || debounce.compareTo(MIN_PULSE) > 0) {
            throw new IllegalArgumentException("s0 debounce: expected 0..30 ms (S0 pulses and pauses last ≥ 30 ms), got "
                    + debounce.toMillis() + " ms");
        }
    }

    /** S0- to ground, S0+ to the pin with the internal pull-up, 10 ms debounce. */
    public static S0InputConfig pullUpToGround(int pin) {
        return new S0InputConfig(pin, false, Pull.UP, Duration.ofMillis(10));
    }
}
