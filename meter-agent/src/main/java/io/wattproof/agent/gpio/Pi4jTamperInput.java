package io.wattproof.agent.gpio;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import java.time.Clock;
import java.util.Objects;

/**
 * Watches a tamper contact on a Pi4J digital input. A tampering level that holds for the debounce
 * time trips the {@link TamperLatch} (the next record carries TAMPER) and tells the
 * {@link TamperListener} at once; the end of tampering is told too but clears nothing.
 *
 * <p>An input that is already tampering when watching starts counts as tampering: a cover opened
 * while the agent was down must still flag a record.
 */
public final class Pi4jTamperInput implements AutoCloseable {
    private final DigitalInput input;
    private final DigitalState activeState;
    private final TamperLatch latch;
    private final TamperListener listener;
    private final GpioTimer timer;
    private final Clock clock;
    private final long debounceNanos;
    private final LevelDebouncer debouncer;
    private final Context ownerContext;
    private final DigitalStateChangeListener pinListener = e -> onState(e.state());
    private boolean closed;

    private Pi4jTamperInput(DigitalInput input, TamperInputConfig config, TamperLatch latch, TamperListener listener,
            GpioTimer timer, Clock clock, Context ownerContext) {
        this.input = Objects.requireNonNull(input, "input");
        this.activeState = config.activeHigh() ? DigitalState.HIGH : DigitalState.LOW;
        this.latch = Objects.requireNonNull(latch, "latch");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.debounceNanos = config.debounce().toNanos();
        this.ownerContext = ownerContext;
        this.debouncer = new LevelDebouncer(debounceNanos, false, timer.nanoTime());
        input.addListener(pinListener);
        onState(input.state());
    }

    /** Creates the input for {@code config.pin()} in {@code pi4j} and owns it: {@link #close()} frees it. */
    public static Pi4jTamperInput create(Context pi4j, TamperInputConfig config, TamperLatch latch, TamperListener listener,
            GpioTimer timer, Clock clock) throws GpioException {
        DigitalInput input = Pi4jPins.input(pi4j, "tamper-" + config.pin(), "tamper input", config.pin(), config.pull());
        return new Pi4jTamperInput(input, config, latch, listener, timer, clock, pi4j);
    }

    /** Watches an input the caller created and keeps owning. */
    public static Pi4jTamperInput using(DigitalInput input, TamperInputConfig config, TamperLatch latch,
            TamperListener listener, GpioTimer timer, Clock clock) {
        return new Pi4jTamperInput(input, config, latch, listener, timer, clock, null);
    }

    private synchronized void onState(DigitalState state) {
        if (closed || state == DigitalState.UNKNOWN) {
            return;
        }
        announce(debouncer.onLevel(state == activeState, timer.nanoTime()));
        // Without another edge nobody would learn that the new level held: look again once the
        // debounce time has passed. A look that finds a newer edge does nothing.
        timer.schedule(debounceNanos, this::settle);
    }

    private synchronized void settle() {
        if (!closed) {
            announce(debouncer.settle(timer.nanoTime()));
        }
    }

    /** Under the lock, so listeners see changes in order; they must not call back into this input. */
    private void announce(LevelDebouncer.Transition t) {
        switch (t) {
            case ACTIVATED -> {
                latch.trip();
                listener.tamperChanged(new TamperEvent(clock.instant(), true, input.address()));
            }
            case RELEASED -> listener.tamperChanged(new TamperEvent(clock.instant(), false, input.address()));
            case NONE -> {}
        }
    }

    /** The debounced state: true while tampering. */
    public synchronized boolean isActive() {
        return debouncer.isActive();
    }

    public DigitalInput input() {
        return input;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // Not under the lock: Pi4J may be dispatching an event that waits for it.
        input.removeListener(pinListener);
        Pi4jPins.release(ownerContext, input.id());
    }

    @Override
    public String toString() {
        return "Pi4jTamperInput[gpio " + input.address() + ", active " + activeState + "]";
    }
}
