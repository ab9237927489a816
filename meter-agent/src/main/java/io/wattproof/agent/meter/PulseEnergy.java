package io.wattproof.agent.meter;

/**
 * Exact conversion of S0 pulses to energy for a meter constant of {@code pulsesPerKwh} imp/kWh
 * (printed on the meter, e.g. 1000 or 800; IEC 62053-31 calls it the meter's output constant).
 *
 * <p>One pulse is 1000/c Wh, which is not a whole number for most constants (800 imp/kWh: 1.25 Wh).
 * Energy is therefore always computed from the total pulse count, never summed per pulse: the
 * fraction of a Wh that does not fit yet stays in the count and is added as soon as it completes a
 * Wh, so no pulse is ever lost to rounding however long the counter runs.
 *
 * @param pulsesPerKwh meter constant, imp/kWh, 1 .. 100 000
 */
public record PulseEnergy(int pulsesPerKwh) {
    public PulseEnergy {
        if (pulsesPerKwh < 1 || pulsesPerKwh > 100_000) {
            throw new IllegalArgumentException("pulses per kWh: expected 1..100000, got " + pulsesPerKwh);
        }
    }

    /**
     * Whole Wh in {@code pulses}, rounded down: {@code floor(pulses * 1000 / c)}, computed without
     * the overflow {@code pulses * 1000} would hit above 9.2e15 pulses.
     *
     * @throws ArithmeticException if the energy itself exceeds a long (only below 1000 imp/kWh,
     *     after more than 9.2e15 pulses)
     */
    public long wattHours(long pulses) {
        if (pulses < 0) {
            throw new IllegalArgumentException("pulses: expected ≥ 0, got " + pulses);
        }
        long c = pulsesPerKwh;
        return Math.addExact(Math.multiplyExact(pulses / c, 1000L), (pulses % c) * 1000 / c);
    }

    /**
     * Active power estimated from the pulse rate, W. A pulse is 3.6e6/c J, so a period of T seconds
     * between pulses means 3.6e6/(c·T) W. While no pulse arrives the time since the last one bounds
     * the power from above, so the estimate falls towards 0 when the load stops instead of holding
     * the last rate. Fewer than two pulses give no rate: 0 (unknown).
     */
    public double powerW(PulseCount count) {
        if (count.pulses() < 2 || count.lastPeriodNanos() <= 0) {
            return 0;
        }
        long periodNanos = Math.max(count.lastPeriodNanos(), count.sinceLastPulseNanos());
        return 3.6e15 / ((double) pulsesPerKwh * periodNanos);
    }
}
