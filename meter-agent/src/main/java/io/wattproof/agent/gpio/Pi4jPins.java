package io.wattproof.agent.gpio;

import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;

/** Claiming and releasing pins in a Pi4J context, with failures as {@link GpioException}. */
final class Pi4jPins {
    private Pi4jPins() {}

    static DigitalInput input(Context pi4j, String id, String name, int pin, Pull pull) throws GpioException {
        try {
            // Pi4J's own debounce is left at 0: debouncing is done on our timestamps, the same on
            // every provider (the mock has none).
            return pi4j.create(DigitalInput.newConfigBuilder(pi4j)
                    .id(id)
                    .name(name)
                    .address(pin)
                    .pull(switch (pull) {
                        case OFF -> PullResistance.OFF;
                        case UP -> PullResistance.PULL_UP;
                        case DOWN -> PullResistance.PULL_DOWN;
                    })
                    .debounce(0L)
                    .build());
        } catch (Pi4JException e) {
            throw new GpioException(pin, name + " gpio " + pin + ": cannot create input: " + e.getMessage(), e);
        }
    }

    static DigitalOutput output(Context pi4j, String id, String name, int pin, DigitalState off) throws GpioException {
        try {
            return pi4j.create(DigitalOutput.newConfigBuilder(pi4j)
                    .id(id)
                    .name(name)
                    .address(pin)
                    .initial(off)
                    .shutdown(off)
                    .build());
        } catch (Pi4JException e) {
            throw new GpioException(pin, name + " gpio " + pin + ": cannot create output: " + e.getMessage(), e);
        }
    }

    static void release(Context owner, String id) {
        if (owner == null || owner.isShutdown()) {
            return;
        }
        try {
            owner.shutdown(id);
        } catch (Pi4JException e) {
            // Already shut down with its context, or never registered: nothing left to release.
        }
    }
}
