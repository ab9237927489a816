package io.wattproof.modbus.maps;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Values read from a meter at one instant, in map order.
 *
 * @param model the map's model name
 * @param values numbers in SI-derived units (V, A, W, var, VA, Hz, Wh, varh, VAh; power factor and
 *     percentages as plain numbers), each finite
 * @param decimals the same numbers as the decimals the meter means: an integer register times its
 *     scale exactly, a float register as the shortest decimal that identifies its float (a float32
 *     sent for 230.1 V holds 230.100006103515625; it means, and is shown as, 230.1). Same keys as
 *     {@code values}; {@code values} holds the float's exact binary value
 * @param texts string values (identity strings such as a serial number)
 * @param absent values the meter marks as not implemented (SunSpec), or whose scale factor it does:
 *     asked for but not given
 */
public record MeterReading(
        String model,
        Map<String, Double> values,
        Map<String, BigDecimal> decimals,
        Map<String, String> texts,
        List<String> absent) {
    public MeterReading {
        Objects.requireNonNull(model, "model");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        // Canonical form, so that readings compare by value: 1.23455E+7 whether 12345500 or 12345500.0.
        Map<String, BigDecimal> canonical = new LinkedHashMap<>();
        decimals.forEach((k, v) -> canonical.put(k, v.stripTrailingZeros()));
        decimals = Collections.unmodifiableMap(canonical);
        if (!decimals.keySet().equals(values.keySet())) {
            throw new IllegalArgumentException("decimals: expected the keys of values " + values.keySet() + ", actual "
                    + decimals.keySet());
        }
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        absent = List.copyOf(absent);
        for (Map.Entry<String, Double> e : values.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException(e.getKey() + ": expected a finite value, actual " + e.getValue());
            }
        }
    }

    /** The number named {@code name}, or empty if it was not read or is absent. */
    public OptionalDouble value(String name) {
        Double v = values.get(name);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The decimal the meter means by value {@code name}, or empty if it was not read or is absent. */
    public Optional<BigDecimal> decimal(String name) {
        return Optional.ofNullable(decimals.get(name));
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(texts.get(name));
    }
}
