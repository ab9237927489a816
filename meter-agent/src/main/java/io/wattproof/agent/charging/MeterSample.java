package io.wattproof.agent.charging;

/**
 * One reading of the pile's meter.
 *
 * @param importWh the import register, Wh (monotonic)
 * @param powerW active power, W (positive when the car draws)
 */
public record MeterSample(long importWh, long powerW) {
    public MeterSample {
        if (importWh < 0) {
            throw new IllegalArgumentException("import register: expected ≥ 0 Wh, got " + importWh);
        }
    }
}
