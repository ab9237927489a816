package io.wattproof.modbus.maps.sunspec;

import java.util.Objects;
import java.util.Optional;

/**
 * A device's identity from the SunSpec common model (model 1): ASCII strings, each absent when the
 * device leaves it all NUL ("not implemented").
 *
 * @param manufacturer Mn, the name registered with SunSpec
 * @param model Md
 * @param options Opt
 * @param version Vr
 * @param serialNumber SN
 */
public record CommonModel(
        Optional<String> manufacturer,
        Optional<String> model,
        Optional<String> options,
        Optional<String> version,
        Optional<String> serialNumber) {

    public CommonModel {
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(serialNumber, "serialNumber");
    }

    /** From plain strings, null for absent. */
    public static CommonModel of(String manufacturer, String model, String options, String version, String serialNumber) {
        return new CommonModel(Optional.ofNullable(manufacturer), Optional.ofNullable(model), Optional.ofNullable(options),
                Optional.ofNullable(version), Optional.ofNullable(serialNumber));
    }
}
