package io.wattproof.agent.meter;

import java.util.Objects;

/**
 * A meter read through its S0 pulse output (DIN 43864, IEC 62053-31) instead of Modbus.
 *
 * <p>S0 carries import active energy only. This source therefore reports: import energy = the seed
 * plus the Wh in the pulses counted since start; export energy 0; total power estimated from the
 * pulse rate ({@link PulseEnergy#powerW}); and one phase with voltage 0 V and current 0 A, which
 * mean <em>not measured</em> (a Reading's voltage and current extremes are then 0).
 *
 * <p>The pulse counter keeps nothing across restarts. Whoever starts the agent seeds this source
 * with the import register of the last stored record, so the register continues from there;
 * pulses while the agent was not running, and the fraction of a Wh counted but not yet recorded at
 * shutdown, are not in the register.
 */
public final class S0MeterSource implements MeterSource {
    private static final double[] NOT_MEASURED = {0};

    private final PulseSource pulses;
    private final PulseEnergy energy;
    private final long seedWh;
    private final String model;

    /**
     * @param seedWh import register at the moment the pulse source started counting, Wh (≥ 0)
     * @param model meter model recorded in every Reading
     */
    public S0MeterSource(PulseSource pulses, PulseEnergy energy, long seedWh, String model) {
        this.pulses = Objects.requireNonNull(pulses, "pulses");
        this.energy = Objects.requireNonNull(energy, "energy");
        if (seedWh < 0) {
            throw new IllegalArgumentException("seed register: expected ≥ 0 Wh, got " + seedWh);
        }
        this.seedWh = seedWh;
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Import register now, Wh. */
    public long importWh() throws MeterReadException {
        return importWh(pulses.count());
    }

    private long importWh(PulseCount count) throws MeterReadException {
        try {
            return Math.addExact(seedWh, energy.wattHours(count.pulses()));
        } catch (ArithmeticException e) {
            throw new MeterReadException("s0 import register overflows: seed " + seedWh + " Wh plus "
                    + count.pulses() + " pulses at " + energy.pulsesPerKwh() + " imp/kWh");
        }
    }

    @Override
    public MeterSnapshot read() throws MeterReadException {
        PulseCount count = pulses.count();
        // kWh as a double is exact enough: MeterSnapshot.importWh() rounds back to the same whole
        // Wh for every register below 2^50 Wh (the error of the division is far below 0.5 Wh there).
        return new MeterSnapshot(importWh(count) / 1000.0, 0, energy.powerW(count), NOT_MEASURED, NOT_MEASURED);
    }

    @Override
    public String model() {
        return model;
    }

    @Override
    public void close() {
        pulses.close();
    }
}
