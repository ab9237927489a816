package io.wattproof.modbus.maps;

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
 * @param texts string values (identity strings such as a serial number)
 * @param absent values the meter marks as not implemented (SunSpec), or whose scale factor it does:
 *     asked for but not given
 */
public record MeterReading(String model, Map<String, Double> values, Map<String, String> texts, List<String> absent) {
    public MeterReading {
        Objects.requireNonNull(model, "model");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
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

    public Optional<String> text(String name) {
        return Optional.ofNullable(texts.get(name));
    }
}
