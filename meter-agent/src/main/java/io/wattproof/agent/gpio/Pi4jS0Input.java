package io.wattproof.agent.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import io.wattproof.agent.meter.PulseCount;
import io.wattproof.agent.meter.PulseSource;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Counts S0 pulses on a Pi4J digital input. Pi4J's state-change events carry no timestamp, so each
 * edge is stamped when its event reaches this listener; the delay of Pi4J's event dispatch adds to
 * the jitter of pulse widths and periods, which the debounce margin (S0 pulses last ≥ 30 ms) and the
 * power estimate tolerate.
 */
public final class Pi4jS0Input implements PulseSource {
    private final DigitalInput input;
    private final DigitalState pulseState;
    private final LongSupplier nanoTime;
    private final PulseCounter counter;
    private final Context ownerContext;
    private final DigitalStateChangeListener listener = e -> onState(e.state());

    private Pi4jS0Input(DigitalInput input, S0InputConfig config, LongSupplier nanoTime, Context ownerContext) {
        this.input = Objects.requireNonNull(input, "input");
        this.pulseState = config.pulseHigh() ? DigitalState.HIGH : DigitalState.LOW;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.ownerContext = ownerContext;
        this.counter = new PulseCounter(config.debounce().toNanos(), input.state() == pulseState, nanoTime.getAsLong());
        input.addListener(listener);
    }

    /** Creates the input for {@code config.pin()} in {@code pi4j} and owns it: {@link #close()} frees it. */
    public static Pi4jS0Input create(Context pi4j, S0InputConfig config, LongSupplier nanoTime) throws GpioException {
        DigitalInput input = Pi4jPins.input(pi4j, id(config), "S0 pulse input", config.pin(), config.pull());
        return new Pi4jS0Input(input, config, nanoTime, pi4j);
    }

    /** Counts on an input the caller created and keeps owning. */
    public static Pi4jS0Input using(DigitalInput input, S0InputConfig config, LongSupplier nanoTime) {
        return new Pi4jS0Input(input, config, nanoTime, null);
    }

    private static String id(S0InputConfig config) {
        return "s0-" + config.pin();
    }

    private synchronized void onState(DigitalState state) {
        if (state == DigitalState.UNKNOWN) {
            return;
        }
        counter.onLevel(state == pulseState, nanoTime.getAsLong());
    }

    @Override
    public synchronized PulseCount count() {
        return counter.count(nanoTime.getAsLong());
    }

    public DigitalInput input() {
        return input;
    }

    @Override
    public void close() {
        input.removeListener(listener);
        Pi4jPins.release(ownerContext, input.id());
    }

    @Override
    public String toString() {
        return "Pi4jS0Input[gpio " + input.address() + ", pulse " + pulseState + "]";
    }
}
