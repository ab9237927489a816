package io.wattproof.modbus.maps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Plans the fewest read requests that cover a set of values of a map. Pure.
 *
 * <p>Rules: one request reads one table (FC 04 input or FC 03 holding registers) and at most the
 * map's {@code max_registers_per_request} (itself at most 125, Application Protocol V1.1b3 sections
 * 6.3 and 6.4); a value is never split across requests (its words could come from two different
 * measurements); and every register of a request that no wanted value occupies (a gap) lies inside
 * one and the same readable range of the map, because devices answer other unmapped addresses
 * with exception 0x02. Without readable ranges, only values that touch are read together.
 *
 * <p>Why greedy is optimal: values do not overlap, so sorted by address they are also sorted by
 * end. Whether {@code [start, end)} is an allowed request only gets harder as {@code end} grows
 * (more gaps, more registers). The first request must cover the leftmost value; starting it exactly
 * there and adding values in order while allowed covers every value any allowed request that
 * covers the leftmost value could cover to its right, so what remains is never more than what
 * remains after any other choice, and by induction no plan needs fewer requests. ReadPlannerTest
 * checks this against an exhaustive search on random small maps.
 */
public final class ReadPlanner {
    private ReadPlanner() {}

    /** Plans reading every value of the map except the SunSpec scale factors, which come along as needed. */
    public static ReadPlan plan(MeterMap map) {
        return plan(map, defaultValues(map));
    }

    /**
     * The values a reading includes when none are named: all of them except sunssf values, which
     * scale others rather than being readings themselves.
     */
    public static List<String> defaultValues(MeterMap map) {
        return map.values().stream()
                .filter(v -> v.type() != io.wattproof.modbus.types.DataType.SUNSSF)
                .map(MapValue::name)
                .toList();
    }

    /**
     * @param names values to read; the scale factors they name are added
     * @throws IllegalArgumentException for a name the map does not have, or a SunSpec map that was
     *     not located by discovery (its addresses are offsets)
     */
    public static ReadPlan plan(MeterMap map, Collection<String> names) {
        Objects.requireNonNull(map, "map");
        if (!map.isLocated()) {
            throw new IllegalArgumentException(map.origin() + ": a SunSpec model map must be located by discovery before reading");
        }
        Set<MapValue> wanted = new LinkedHashSet<>();
        Set<String> requested = new LinkedHashSet<>(names);
        for (String name : requested) {
            MapValue v = map.value(name).orElseThrow(() -> new IllegalArgumentException(
                    map.origin() + ": no value named '" + name + "' (values: " + map.names() + ")"));
            wanted.add(v);
            v.scaleFactor().ifPresent(sf -> wanted.add(map.value(sf).orElseThrow()));
        }
        List<PlannedRead> reads = new ArrayList<>();
        for (RegisterTable table : RegisterTable.values()) {
            List<MapValue> values = wanted.stream()
                    .filter(v -> v.table() == table)
                    .sorted(Comparator.comparingInt(MapValue::address))
                    .toList();
            reads.addAll(greedy(table, values, map.readable(table), map.maxRegistersPerRequest()));
        }
        return new ReadPlan(reads, map.names().stream().filter(requested::contains).toList());
    }

    /** Left to right: extend the current request by the next value while the rules allow. */
    private static List<PlannedRead> greedy(RegisterTable table, List<MapValue> sorted, List<ReadableRange> readable, int max) {
        List<PlannedRead> reads = new ArrayList<>();
        int start = -1;
        int end = -1;
        ReadableRange gapRange = null; // the readable range all gaps of the current request lie in
        List<String> names = new ArrayList<>();
        for (MapValue v : sorted) {
            if (start >= 0) {
                boolean fits = v.end() - start <= max;
                ReadableRange needed = gapRange;
                if (fits && v.address() > end) {
                    // Registers end .. v.address() - 1 are a gap: they must lie in a readable range,
                    // the same one as every other gap of this request.
                    Optional<ReadableRange> r = rangeContaining(readable, table, end, v.address() - end);
                    fits = r.isPresent() && (gapRange == null || gapRange.equals(r.get()));
                    needed = r.orElse(null);
                }
                if (fits) {
                    end = v.end();
                    gapRange = needed;
                    names.add(v.name());
                    continue;
                }
                reads.add(new PlannedRead(table, start, end - start, names));
            }
            start = v.address();
            end = v.end();
            gapRange = null;
            names = new ArrayList<>(List.of(v.name()));
        }
        if (start >= 0) {
            reads.add(new PlannedRead(table, start, end - start, names));
        }
        return reads;
    }

    private static Optional<ReadableRange> rangeContaining(List<ReadableRange> readable, RegisterTable table, int address,
            int width) {
        return readable.stream().filter(r -> r.contains(table, address, width)).findFirst();
    }
}
