package io.wattproof.agent.gpio;

import com.pi4j.context.Context;
import com.pi4j.exception.Pi4JException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import java.util.Objects;

/**
 * Drives a status LED on a Pi4J digital output with a {@link LedPattern}. Each change of the
 * output schedules the next one on the injected {@link GpioTimer}; showing another pattern cancels
 * the pending change and starts the new pattern with its on phase. The LED is off after close.
 */
public final class StatusLed implements AutoCloseable {
    private final DigitalOutput output;
    private final DigitalState onState;
    private final DigitalState offState;
    private final GpioTimer timer;
    private final Context ownerContext;
    private LedPattern pattern;
    private GpioTimer.Cancellable pending;
    private long generation;

    private StatusLed(DigitalOutput output, boolean activeHigh, GpioTimer timer, Context ownerContext) {
        this.output = Objects.requireNonNull(output, "output");
        this.onState = activeHigh ? DigitalState.HIGH : DigitalState.LOW;
        this.offState = activeHigh ? DigitalState.LOW : DigitalState.HIGH;
        this.timer = Objects.requireNonNull(timer, "timer");
        this.ownerContext = ownerContext;
    }

    /** Creates the output for {@code pin} in {@code pi4j} (initially and on shutdown off) and owns it. */
    public static StatusLed create(Context pi4j, int pin, boolean activeHigh, GpioTimer timer) throws GpioException {
        DigitalOutput output = Pi4jPins.output(pi4j, "status-led-" + pin, "status LED", pin,
                activeHigh ? DigitalState.LOW : DigitalState.HIGH);
        return new StatusLed(output, activeHigh, timer, pi4j);
    }

    /** Drives an output the caller created and keeps owning. */
    public static StatusLed using(DigitalOutput output, boolean activeHigh, GpioTimer timer) {
        return new StatusLed(output, activeHigh, timer, null);
    }

    /** Shows {@code next}; showing the pattern already shown keeps its rhythm. */
    public synchronized void show(LedPattern next) {
        Objects.requireNonNull(next, "pattern");
        if (next == pattern) {
            return;
        }
        pattern = next;
        restart();
        step(generation, true);
    }

    /** The pattern shown, or null before the first {@link #show}. */
    public synchronized LedPattern pattern() {
        return pattern;
    }

    private void restart() {
        generation++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private synchronized void step(long gen, boolean on) {
        if (gen != generation) {
            return; // a task of a pattern no longer shown
        }
        set(on ? onState : offState);
        if (pattern.isSteady()) {
            pending = null;
            return;
        }
        long delay = (on ? pattern.on() : pattern.off()).toNanos();
        pending = timer.schedule(delay, () -> step(gen, !on));
    }

    private void set(DigitalState state) {
        try {
            output.state(state);
        } catch (Pi4JException e) {
            // A status light that cannot be switched must not stop the agent; the next step retries.
        }
    }

    @Override
    public synchronized void close() {
        restart();
        pattern = null;
        set(offState);
        Pi4jPins.release(ownerContext, output.id());
    }

    @Override
    public String toString() {
        return "StatusLed[gpio " + output.address() + ", " + pattern + "]";
    }
}
