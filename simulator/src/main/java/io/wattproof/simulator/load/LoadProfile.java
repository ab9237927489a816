package io.wattproof.simulator.load;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A household's active power over the day, fixed by a seed: a base load of 150..300 W, a morning
 * peak (1..2.5 kW above base around 6:30..8:00) and an evening peak (1.5..3.5 kW around
 * 18:00..20:00), each scaled per day, with a few percent of minute-scale noise. With PV, generation
 * follows a bell from 6:00 to 20:00 local time peaking at noon, scaled by a per-day cloud factor
 * (0.55..1), and is subtracted, so net power can be negative (export). Seasons and sun position
 * are deliberately ignored: the simulator needs plausible shapes, not a solar model.
 *
 * <p>Immutable; every value is a pure function of seed, instant and zone.
 */
public final class LoadProfile implements PowerCurve {
    private static final long BASE = 1, MORNING = 2, EVENING = 3, DAY = 4, CLOUD = 5, PV_FLICKER = 6;
    private static final double SUNRISE_HOUR = 6, NOON_HOUR = 12, SUNSET_HOUR = 20;

    private final long seed;
    private final double baseWatts;
    private final double morningPeakWatts;
    private final double morningPeakHour;
    private final double eveningPeakWatts;
    private final double eveningPeakHour;
    private final double pvPeakWatts;

    private LoadProfile(long seed, double pvPeakWatts) {
        this.seed = seed;
        this.baseWatts = 150 + 150 * Noise.unit(seed, BASE, 0);
        this.morningPeakWatts = 1000 + 1500 * Noise.unit(seed, MORNING, 0);
        this.morningPeakHour = 6.5 + 1.5 * Noise.unit(seed, MORNING, 1);
        this.eveningPeakWatts = 1500 + 2000 * Noise.unit(seed, EVENING, 0);
        this.eveningPeakHour = 18 + 2 * Noise.unit(seed, EVENING, 1);
        this.pvPeakWatts = pvPeakWatts;
    }

    /** A household without PV. */
    public static LoadProfile household(long seed) {
        return new LoadProfile(seed, 0);
    }

    /** @param pvPeakWatts PV output at noon on a clear day, W; ignored without PV */
    public static LoadProfile household(long seed, boolean withPv, double pvPeakWatts) {
        if (withPv && !(pvPeakWatts >= 0 && Double.isFinite(pvPeakWatts))) {
            throw new IllegalArgumentException("pv peak: expected a finite value >= 0 W, got " + pvPeakWatts);
        }
        return new LoadProfile(seed, withPv ? pvPeakWatts : 0);
    }

    @Override
    public long seed() {
        return seed;
    }

    public boolean hasPv() {
        return pvPeakWatts > 0;
    }

    /** Net active power at {@code t}, W: consumption minus PV; negative means exporting. */
    @Override
    public double powerWatts(Instant t, ZoneId zone) {
        return consumptionWatts(t, zone) - pvWatts(t, zone);
    }

    /** The household's consumption at {@code t}, W; always positive. */
    public double consumptionWatts(Instant t, ZoneId zone) {
        ZonedDateTime local = t.atZone(zone);
        double hour = hourOfDay(local);
        long day = local.toLocalDate().toEpochDay();
        // Some days people cook more, or are away: scale the peaks per day, 0.7..1.3.
        double dayFactor = 0.7 + 0.6 * Noise.unit(seed, DAY, day);
        double shape = baseWatts
                + dayFactor * morningPeakWatts * bump(hour, morningPeakHour, 0.75)
                + dayFactor * eveningPeakWatts * bump(hour, eveningPeakHour, 1.25);
        return shape * (1 + 0.08 * Noise.perMinute(seed, BASE, t.getEpochSecond()));
    }

    /** PV generation at {@code t}, W; zero without PV and outside 6:00..20:00 local time. */
    public double pvWatts(Instant t, ZoneId zone) {
        if (pvPeakWatts == 0) {
            return 0;
        }
        ZonedDateTime local = t.atZone(zone);
        double hour = hourOfDay(local);
        if (hour <= SUNRISE_HOUR || hour >= SUNSET_HOUR) {
            return 0;
        }
        // Fraction of the way from sunrise up to noon, or from sunset back to noon; sin² of it is a
        // bell with flat tangents at sunrise, noon and sunset.
        double f = hour < NOON_HOUR
                ? (hour - SUNRISE_HOUR) / (NOON_HOUR - SUNRISE_HOUR)
                : (SUNSET_HOUR - hour) / (SUNSET_HOUR - NOON_HOUR);
        double bell = Math.pow(Math.sin(Math.PI / 2 * f), 2);
        double cloud = 0.55 + 0.45 * Noise.unit(seed, CLOUD, local.toLocalDate().toEpochDay());
        double flicker = 1 + 0.05 * Noise.perMinute(seed, PV_FLICKER, t.getEpochSecond());
        return pvPeakWatts * bell * cloud * flicker;
    }

    private static double hourOfDay(ZonedDateTime local) {
        return local.toLocalTime().toSecondOfDay() / 3600.0;
    }

    /** A Gaussian bump of height 1 centred on {@code centre} with width {@code sigma}, in hours. */
    private static double bump(double hour, double centre, double sigma) {
        double z = (hour - centre) / sigma;
        return Math.exp(-z * z / 2);
    }

    @Override
    public String toString() {
        return "LoadProfile[seed=" + seed + ", pvPeakWatts=" + pvPeakWatts + "]";
    }
}
