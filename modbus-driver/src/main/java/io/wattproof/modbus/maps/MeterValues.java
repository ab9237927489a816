package io.wattproof.modbus.maps;

/**
 * One reading of a three-phase meter. All values are finite; the record refuses NaN and
 * infinities so that a corrupted register never becomes a reading.
 *
 * @param voltageL1 phase 1 line-to-neutral voltage, V
 * @param voltageL2 phase 2 line-to-neutral voltage, V
 * @param voltageL3 phase 3 line-to-neutral voltage, V
 * @param currentL1 phase 1 current, A
 * @param currentL2 phase 2 current, A
 * @param currentL3 phase 3 current, A
 * @param totalActivePower total system active power, W (negative when exporting)
 * @param importActiveEnergy total import active energy, kWh
 * @param exportActiveEnergy total export active energy, kWh
 */
public record MeterValues(
        double voltageL1,
        double voltageL2,
        double voltageL3,
        double currentL1,
        double currentL2,
        double currentL3,
        double totalActivePower,
        double importActiveEnergy,
        double exportActiveEnergy) {

    public MeterValues {
        requireFinite("voltageL1", voltageL1);
        requireFinite("voltageL2", voltageL2);
        requireFinite("voltageL3", voltageL3);
        requireFinite("currentL1", currentL1);
        requireFinite("currentL2", currentL2);
        requireFinite("currentL3", currentL3);
        requireFinite("totalActivePower", totalActivePower);
        requireFinite("importActiveEnergy", importActiveEnergy);
        requireFinite("exportActiveEnergy", exportActiveEnergy);
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(field + ": expected a finite value, actual " + value);
        }
    }
}
