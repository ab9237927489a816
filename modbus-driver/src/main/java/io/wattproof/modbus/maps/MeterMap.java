package io.wattproof.modbus.maps;

import io.wattproof.modbus.pdu.Hex;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A meter's register map, loaded from a {@code wattproof-meter-map/1} YAML file (see
 * docs/meters.md): which registers hold which values, in which encoding and unit. Immutable and
 * already validated: values do not overlap, every scale factor names a sunssf value of the map,
 * every value fits in one request and inside a readable range when its table has any.
 *
 * <p>A SunSpec model map ({@link #sunspecModel()} present) gives offsets from the model's ID
 * register instead of addresses; discovery finds where the model sits and {@link #located} turns
 * it into a map with absolute addresses, readable over the whole model.
 *
 * @param origin the file the map came from, e.g. {@code sdm630.yaml}, for messages
 * @param phases 1, 2 (split phase) or 3; 0 for a SunSpec model that describes no meter (model 1)
 * @param maxRegistersPerRequest 1..125, the most registers one read may ask for
 * @param modelAddress for a located SunSpec map, the address of the model's ID register
 * @param values in file order, names unique
 */
public record MeterMap(
        String origin,
        String model,
        List<String> aliases,
        String manufacturer,
        String description,
        String source,
        int phases,
        OptionalInt sunspecModel,
        OptionalInt modelAddress,
        int maxRegistersPerRequest,
        List<ReadableRange> readable,
        Optional<Identification> identification,
        List<MapValue> values) {

    public static final String SCHEMA = "wattproof-meter-map/1";

    public MeterMap {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(model, "model");
        aliases = List.copyOf(aliases);
        Objects.requireNonNull(manufacturer, "manufacturer");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sunspecModel, "sunspecModel");
        Objects.requireNonNull(modelAddress, "modelAddress");
        readable = List.copyOf(readable);
        Objects.requireNonNull(identification, "identification");
        values = List.copyOf(values);
        if (maxRegistersPerRequest < 1 || maxRegistersPerRequest > 125) {
            throw new IllegalArgumentException("max registers per request: expected 1..125, actual " + maxRegistersPerRequest);
        }
        if (modelAddress.isPresent() && sunspecModel.isEmpty()) {
            throw new IllegalArgumentException("model address: only a SunSpec map is located");
        }
    }

    /** The value named {@code name} (exact match). */
    public Optional<MapValue> value(String name) {
        for (MapValue v : values) {
            if (v.name().equals(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public List<String> names() {
        return values.stream().map(MapValue::name).toList();
    }

    /** True if {@code name} is the model or one of the aliases, ignoring case. */
    public boolean matches(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (model.toLowerCase(Locale.ROOT).equals(n)) {
            return true;
        }
        return aliases.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(n));
    }

    public boolean isSunSpec() {
        return sunspecModel.isPresent();
    }

    /** True if the value addresses are PDU addresses: an ordinary map, or a located SunSpec map. */
    public boolean isLocated() {
        return sunspecModel.isEmpty() || modelAddress.isPresent();
    }

    /** The readable ranges of one table, in address order. */
    public List<ReadableRange> readable(RegisterTable table) {
        return readable.stream().filter(r -> r.table() == table).sorted((a, b) -> Integer.compare(a.from(), b.from())).toList();
    }

    /**
     * Registers a model occupies after its ID and L registers: the largest offset end of the map's
     * values minus 2. A device's model of this ID must be at least this long.
     */
    public int sunspecLength() {
        requireSunSpec();
        int end = 2;
        for (MapValue v : values) {
            end = Math.max(end, v.end());
        }
        return end - 2;
    }

    /**
     * This SunSpec map with absolute addresses, for a model whose ID register is at {@code
     * modelAddress} and whose L register says {@code length}. The whole model (ID through the last
     * register) becomes one readable range: SunSpec devices answer reads anywhere inside a model.
     *
     * @throws IllegalArgumentException if the model would end beyond register 65535 or is shorter
     *     than the map's values need ({@link #sunspecLength()}); discovery checks both first
     */
    public MeterMap located(int modelAddress, int length) {
        requireSunSpec();
        if (this.modelAddress.isPresent()) {
            throw new IllegalStateException(origin + " is already located at " + Hex.wordValue(this.modelAddress.getAsInt()));
        }
        if (modelAddress < 0 || length < 0 || modelAddress + 2L + length > 0x10000) {
            throw new IllegalArgumentException("model at " + modelAddress + " with length " + length
                    + ": expected to end at or before register 65535");
        }
        if (length < sunspecLength()) {
            throw new IllegalArgumentException("model " + sunspecModel.getAsInt() + " length: expected at least "
                    + sunspecLength() + ", actual " + length);
        }
        List<MapValue> moved = new ArrayList<>();
        for (MapValue v : values) {
            moved.add(v.at(modelAddress + v.address()));
        }
        ReadableRange whole = new ReadableRange(RegisterTable.HOLDING, modelAddress, modelAddress + 1 + length);
        return new MeterMap(origin, model, aliases, manufacturer, description, source, phases, sunspecModel,
                OptionalInt.of(modelAddress), maxRegistersPerRequest, List.of(whole), identification, moved);
    }

    private void requireSunSpec() {
        if (sunspecModel.isEmpty()) {
            throw new IllegalStateException(origin + " is not a SunSpec model map");
        }
    }

    @Override
    public String toString() {
        return "MeterMap[" + model + " from " + origin + ", " + values.size() + " values]";
    }
}
