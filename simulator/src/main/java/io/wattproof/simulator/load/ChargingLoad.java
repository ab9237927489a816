package io.wattproof.simulator.load;

import java.time.Instant;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;

/**
 * What a charging pile's meter sees: the pile's own standby draw, and the car's charging power
 * while the pile's relay is closed and a car is plugged in. The relay is read on every step, so
 * the energy registers follow what the relay let through. Power is taken when the meter is read
 * and held over the step since the last read, as {@link MeterState} does; the agent reads its
 * meter every second, so a relay change counts at most a second early.
 */
public final class ChargingLoad implements PowerCurve {
    /** Controller, contactor coil and display of a wallbox: a few watts. */
    public static final double STANDBY_WATTS = 6;

    private final long seed;
    private final BooleanSupplier relayClosed;
    private volatile double carWatts;

    public ChargingLoad(long seed, BooleanSupplier relayClosed) {
        this.seed = seed;
        this.relayClosed = relayClosed;
    }

    /** The plugged-in car draws {@code watts} whenever the relay is closed; 0 unplugs it. */
    public void plugIn(double watts) {
        if (!(watts >= 0 && Double.isFinite(watts))) {
            throw new IllegalArgumentException("car power: expected a finite value >= 0 W, got " + watts);
        }
        carWatts = watts;
    }

    @Override
    public double powerWatts(Instant t, ZoneId zone) {
        return STANDBY_WATTS + (relayClosed.getAsBoolean() ? carWatts : 0);
    }

    @Override
    public long seed() {
        return seed;
    }
}
