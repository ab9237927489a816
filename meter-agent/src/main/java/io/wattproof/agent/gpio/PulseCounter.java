package io.wattproof.agent.gpio;

import io.wattproof.agent.meter.PulseCount;

/**
 * Counts debounced S0 pulses from edge timestamps: one pulse per accepted activation. The pulse
 * time is its leading edge, so the period between pulses (for the power estimate) does not depend
 * on when the pulse was confirmed. Pure and not thread-safe; the Pi4J adapter serialises calls.
 */
public final class PulseCounter {
    private final LevelDebouncer debouncer;
    private long pulses;
    private long lastPulseAt;
    private long lastPeriod;

    /**
     * @param debounceNanos minimum duration of a pulse and of the pause between pulses, ns
     * @param initiallyActive the input's level when counting starts: an input that is already in
     *     the pulse state then is not counted (the pulse's start was not seen)
     */
    public PulseCounter(long debounceNanos, boolean initiallyActive, long nowNanos) {
        this.debouncer = new LevelDebouncer(debounceNanos, initiallyActive, nowNanos);
    }

    /** The input changed to the pulse level ({@code active}) or away from it at {@code atNanos}. */
    public void onLevel(boolean active, long atNanos) {
        apply(debouncer.onLevel(active, atNanos));
    }

    /** The count at {@code nowNanos}, including a pulse that has held for the debounce time. */
    public PulseCount count(long nowNanos) {
        apply(debouncer.settle(nowNanos));
        long since = pulses == 0 ? 0 : Math.max(0, nowNanos - lastPulseAt);
        return new PulseCount(pulses, lastPeriod, since);
    }

    private void apply(LevelDebouncer.Transition t) {
        if (t != LevelDebouncer.Transition.ACTIVATED) {
            return;
        }
        long at = debouncer.activatedAtNanos();
        if (pulses > 0) {
            lastPeriod = Math.max(0, at - lastPulseAt);
        }
        lastPulseAt = at;
        pulses++;
    }
}
