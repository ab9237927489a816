package io.wattproof.agent.interval;

import io.wattproof.agent.meter.MeterSnapshot;

/**
 * Running extremes over the samples of one interval. Immutable: {@link #with} returns a new value.
 *
 * @param peakPowerW highest total active power seen, W
 * @param minVoltageV lowest phase voltage seen over all phases, V
 * @param maxVoltageV highest phase voltage seen, V
 * @param minCurrentA lowest phase current seen, A
 * @param maxCurrentA highest phase current seen, A
 * @param samples number of samples folded in
 */
public record SampleExtremes(
        double peakPowerW, double minVoltageV, double maxVoltageV, double minCurrentA, double maxCurrentA, int samples) {

    public static SampleExtremes of(MeterSnapshot s) {
        return new SampleExtremes(
                s.totalPowerW(), min(s.voltagesV()), max(s.voltagesV()), min(s.currentsA()), max(s.currentsA()), 1);
    }

    public SampleExtremes with(MeterSnapshot s) {
        return new SampleExtremes(
                Math.max(peakPowerW, s.totalPowerW()),
                Math.min(minVoltageV, min(s.voltagesV())),
                Math.max(maxVoltageV, max(s.voltagesV())),
                Math.min(minCurrentA, min(s.currentsA())),
                Math.max(maxCurrentA, max(s.currentsA())),
                samples + 1);
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) m = Math.min(m, v);
        return m;
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) m = Math.max(m, v);
        return m;
    }
}
