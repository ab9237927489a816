package io.wattproof.simulator.load;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A virtual three-phase meter at one instant: cumulative import and export active energy
 * registers (kWh) and the instantaneous quantities a register map exposes. Immutable; {@link
 * #advance} returns the state one step later.
 *
 * <p>Power is held at its value at the start of each step, as a meter sampling once per step
 * would see it, and its energy goes to the import register when positive and to the export
 * register when negative. Neither register ever decreases; with 1-minute steps the error
 * against the continuous curve is well under one percent.
 *
 * @param importKwh energy drawn from the grid since the meter was installed, kWh, >= 0
 * @param exportKwh energy fed into the grid since the meter was installed, kWh, >= 0
 */
public record MeterState(PowerCurve profile, ZoneId zone, Instant time, double importKwh, double exportKwh) {
    public static final double NOMINAL_VOLTS = 230;
    /** EN 50160 allows ±10 %; a healthy low-voltage feeder stays within a few percent. */
    public static final double VOLTAGE_SPREAD = 0.03;
    private static final long VOLTAGE_STREAM = 100;

    public MeterState {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(time, "time");
        if (!(importKwh >= 0 && Double.isFinite(importKwh))) {
            throw new IllegalArgumentException("import register: expected a finite value >= 0 kWh, got " + importKwh);
        }
        if (!(exportKwh >= 0 && Double.isFinite(exportKwh))) {
            throw new IllegalArgumentException("export register: expected a finite value >= 0 kWh, got " + exportKwh);
        }
    }

    /** A meter with both registers at zero. */
    public static MeterState start(PowerCurve profile, ZoneId zone, Instant time) {
        return new MeterState(profile, zone, time, 0, 0);
    }

    public MeterState advance(Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step: expected a positive duration, got " + step);
        }
        double watts = netPowerWatts();
        double kwh = Math.abs(watts) * (step.toNanos() / 3.6e12) / 1000;
        Instant next = time.plus(step);
        return watts > 0
                ? new MeterState(profile, zone, next, importKwh + kwh, exportKwh)
                : new MeterState(profile, zone, next, importKwh, exportKwh + kwh);
    }

    /** Net active power now, W; negative while exporting. */
    public double netPowerWatts() {
        return profile.powerWatts(time, zone);
    }

    /**
     * Line-to-neutral voltage of each phase, V: nominal 230 V moved by up to ±3 % — half a daily
     * swing (highest in the early morning, lowest in the evening peak, when the feeder is loaded)
     * and half minute-scale noise of its own per phase.
     */
    public Phases voltages() {
        double hour = time.atZone(zone).toLocalTime().toSecondOfDay() / 3600.0;
        double daily = Math.cos(2 * Math.PI * (hour - 7) / 24);
        return new Phases(volts(daily, 1), volts(daily, 2), volts(daily, 3));
    }

    /** Current of each phase, A: net power split evenly over the three phases, over the phase voltage. */
    public Phases currents() {
        double perPhaseWatts = Math.abs(netPowerWatts()) / 3;
        Phases v = voltages();
        return new Phases(perPhaseWatts / v.l1(), perPhaseWatts / v.l2(), perPhaseWatts / v.l3());
    }

    private double volts(double daily, int phase) {
        double wobble = 0.5 * daily + 0.5 * Noise.perMinute(profile.seed(), VOLTAGE_STREAM + phase, time.getEpochSecond());
        return NOMINAL_VOLTS * (1 + VOLTAGE_SPREAD * wobble);
    }

    /** One value per phase L1, L2, L3. */
    public record Phases(double l1, double l2, double l3) {}
}
