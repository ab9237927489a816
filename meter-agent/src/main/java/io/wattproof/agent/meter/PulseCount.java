package io.wattproof.agent.meter;

/**
 * What an S0 input has counted since it started.
 *
 * @param pulses accepted (debounced) pulses since the input was opened, ≥ 0
 * @param lastPeriodNanos time between the leading edges of the last two pulses, ns; 0 with fewer
 *     than two pulses
 * @param sinceLastPulseNanos time from the leading edge of the last pulse to the moment of this
 *     count, ns; 0 before the first pulse
 */
public record PulseCount(long pulses, long lastPeriodNanos, long sinceLastPulseNanos) {
    public PulseCount {
        if (pulses < 0 || lastPeriodNanos < 0 || sinceLastPulseNanos < 0) {
            throw new IllegalArgumentException("pulse count: expected values ≥ 0, got pulses=" + pulses
                    + " last_period_ns=" + lastPeriodNanos + " since_last_ns=" + sinceLastPulseNanos);
        }
    }
}
