package io.wattproof.agent.meter;

import java.util.Arrays;

/**
 * What the agent reads from a meter at one instant, in the units of the wire protocol's inputs.
 *
 * @param importKwh cumulative import active energy register, kWh (≥ 0, never decreases on a
 *     healthy meter)
 * @param exportKwh cumulative export active energy register, kWh
 * @param totalPowerW total active power, W; negative while exporting
 * @param voltagesV line-to-neutral voltage per phase, V (1 or 3 entries)
 * @param currentsA current per phase, A (same length as voltages)
 */
public record MeterSnapshot(double importKwh, double exportKwh, double totalPowerW, double[] voltagesV, double[] currentsA) {
    public MeterSnapshot {
        if (voltagesV.length == 0 || voltagesV.length != currentsA.length) {
            throw new IllegalArgumentException("meter snapshot: expected equal, non-zero phase counts for voltages and currents, got "
                    + voltagesV.length + " and " + currentsA.length);
        }
        requireFinite("import energy", importKwh);
        requireFinite("export energy", exportKwh);
        requireFinite("total power", totalPowerW);
        for (double v : voltagesV) requireFinite("voltage", v);
        for (double a : currentsA) requireFinite("current", a);
        if (importKwh < 0 || exportKwh < 0) {
            throw new IllegalArgumentException("meter snapshot: energy registers must be ≥ 0, got import="
                    + importKwh + " export=" + exportKwh);
        }
        voltagesV = voltagesV.clone();
        currentsA = currentsA.clone();
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("meter snapshot: " + field + " must be a finite number, got " + value);
        }
    }

    /**
     * Energy registers in whole Wh. Rounded to nearest, not truncated: a float32 kWh register holds
     * 0.3 as 0.29999998, which truncation would turn into 299 Wh. Rounding is monotonic, so a
     * non-decreasing register stays non-decreasing.
     */
    public long importWh() {
        return Math.round(importKwh * 1000.0);
    }

    public long exportWh() {
        return Math.round(exportKwh * 1000.0);
    }

    @Override
    public double[] voltagesV() {
        return voltagesV.clone();
    }

    @Override
    public double[] currentsA() {
        return currentsA.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MeterSnapshot s
                && Double.compare(importKwh, s.importKwh) == 0
                && Double.compare(exportKwh, s.exportKwh) == 0
                && Double.compare(totalPowerW, s.totalPowerW) == 0
                && Arrays.equals(voltagesV, s.voltagesV)
                && Arrays.equals(currentsA, s.currentsA);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {importKwh, exportKwh, totalPowerW}) * 31 + Arrays.hashCode(voltagesV);
    }

    @Override
    public String toString() {
        return "MeterSnapshot[importKwh=" + importKwh + ", exportKwh=" + exportKwh + ", totalPowerW=" + totalPowerW
                + ", voltagesV=" + Arrays.toString(voltagesV) + ", currentsA=" + Arrays.toString(currentsA) + "]";
    }
}
