package io.wattproof.modbus.maps.sunspec;

import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What discovery found on a SunSpec device.
 *
 * @param baseAddress where the "SunS" marker is (40000, 0 or 50000)
 * @param models the chain, common model first
 * @param common the identity strings of the common model
 * @param meter the first meter model (201..204) of the chain, if any
 */
public record SunSpecDevice(int baseAddress, List<ModelHeader> models, CommonModel common, Optional<ModelHeader> meter) {
    public SunSpecDevice {
        models = List.copyOf(models);
        Objects.requireNonNull(common, "common");
        Objects.requireNonNull(meter, "meter");
    }

    /**
     * The built-in map of the meter model, located where the device has it: ready for a {@link
     * io.wattproof.modbus.maps.MeterReader}. Discovery has checked the model is long enough.
     */
    public Optional<MeterMap> meterMap() {
        return meter.map(m -> MeterMaps.sunspecModel(m.id())
                .orElseThrow(() -> new IllegalStateException("no built-in map for SunSpec model " + m.id()))
                .located(m.address(), m.length()));
    }

    /**
     * {@code sunspecMap}, a SunSpec model map not yet located, placed where this device has that
     * model; empty if the device has no such model.
     *
     * @throws IllegalArgumentException if the device's model is shorter than the map needs
     */
    public Optional<MeterMap> locate(MeterMap sunspecMap) {
        int wanted = sunspecMap.sunspecModel()
                .orElseThrow(() -> new IllegalArgumentException(sunspecMap.origin() + " is not a SunSpec model map"));
        return models.stream()
                .filter(m -> m.id() == wanted)
                .findFirst()
                .map(m -> sunspecMap.located(m.address(), m.length()));
    }
}
