package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.types.DataType;
import io.wattproof.modbus.types.Encoding;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadPlannerTest {

    @Test
    void sdm630AgentValuesTakeOneRequestInsideTheReadableBlock() {
        MeterMap sdm = MeterMaps.find("SDM630").orElseThrow();
        ReadPlan plan = ReadPlanner.plan(sdm, List.of("import_energy", "voltage_l1", "voltage_l2", "voltage_l3",
                "current_l1", "current_l2", "current_l3", "power_total", "export_energy"));
        assertEquals(1, plan.reads().size(), plan.toString());
        PlannedRead r = plan.reads().get(0);
        assertEquals(RegisterTable.INPUT, r.table());
        assertEquals(0x0000, r.address());
        assertEquals(0x004C, r.quantity());
        // Requested names come back in map order, whatever order they were asked in.
        assertEquals("voltage_l1", plan.requested().get(0));
    }

    @Test
    void sdm630AllValuesTakeThreeRequests() {
        ReadPlan plan = ReadPlanner.plan(MeterMaps.find("SDM630").orElseThrow());
        assertEquals(List.of("input 0x0000 x80", "input 0x00c8 x8", "input 0x00e0 x2"),
                plan.reads().stream().map(r -> r.table().fileName() + " " + io.wattproof.modbus.pdu.Hex.wordValue(r.address())
                        + " x" + r.quantity()).toList());
    }

    @Test
    void withoutReadableRangesOnlyTouchingValuesMerge() {
        MeterMap m = map(125, List.of(), value("a", 0, 2), value("b", 2, 2), value("c", 5, 1), value("d", 6, 4));
        ReadPlan plan = ReadPlanner.plan(m, List.of("a", "b", "c", "d"));
        assertEquals(List.of(new PlannedRead(RegisterTable.INPUT, 0, 4, List.of("a", "b")),
                new PlannedRead(RegisterTable.INPUT, 5, 5, List.of("c", "d"))), plan.reads());
    }

    @Test
    void neverMoreThanTheMaximumAndNeverSplittingAValue() {
        MeterMap m = map(5, List.of(), value("a", 0, 2), value("b", 2, 2), value("c", 4, 2));
        assertEquals(List.of(new PlannedRead(RegisterTable.INPUT, 0, 4, List.of("a", "b")),
                new PlannedRead(RegisterTable.INPUT, 4, 2, List.of("c"))), ReadPlanner.plan(m, List.of("a", "b", "c")).reads());
    }

    @Test
    void gapsMustLieInOneReadableRange() {
        List<ReadableRange> readable = List.of(new ReadableRange(RegisterTable.INPUT, 0, 9), new ReadableRange(RegisterTable.INPUT, 10, 19));
        MeterMap m = map(125, readable, value("a", 0, 2), value("b", 6, 2), value("c", 8, 2), value("d", 14, 2));
        // a..c share range 0..9; the gap before d lies in the other range.
        assertEquals(List.of(new PlannedRead(RegisterTable.INPUT, 0, 10, List.of("a", "b", "c")),
                new PlannedRead(RegisterTable.INPUT, 14, 2, List.of("d"))), ReadPlanner.plan(m, List.of("a", "b", "c", "d")).reads());
    }

    @Test
    void scaleFactorsComeAlongAndTablesAreSeparate() {
        MapValue w = new MapValue("w", RegisterTable.HOLDING, 10, Encoding.of(DataType.INT16), Unit.W, "w", BigDecimal.ONE,
                Optional.of("w_sf"), OptionalLong.of(0x8000));
        MapValue sf = new MapValue("w_sf", RegisterTable.HOLDING, 11, Encoding.of(DataType.SUNSSF), Unit.NONE, "sf",
                BigDecimal.ONE, Optional.empty(), OptionalLong.of(0x8000));
        MeterMap m = map(125, List.of(), value("v", 10, 2), w, sf);
        ReadPlan plan = ReadPlanner.plan(m);
        assertEquals(List.of("v", "w"), plan.requested()); // sunssf values are not readings by default
        assertEquals(List.of(new PlannedRead(RegisterTable.INPUT, 10, 2, List.of("v")),
                new PlannedRead(RegisterTable.HOLDING, 10, 2, List.of("w", "w_sf"))), plan.reads());
    }

    @Test
    void refusesUnknownNamesAndUnlocatedSunSpecMaps() {
        MeterMap m = map(125, List.of(), value("a", 0, 2));
        var e = assertThrows(IllegalArgumentException.class, () -> ReadPlanner.plan(m, List.of("b")));
        assertEquals("test.yaml: no value named 'b' (values: [a])", e.getMessage());
        MeterMap sunspec = MeterMaps.sunspecModel(203).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> ReadPlanner.plan(sunspec));
    }

    /** The planner's request count equals the true minimum, found by exhaustive search. */
    @Test
    void fewestRequestsAgainstBruteForce() {
        Random random = new Random(20261103);
        int instances = 3000;
        for (int n = 0; n < instances; n++) {
            int space = 8 + random.nextInt(33);
            List<MapValue> values = new ArrayList<>();
            int address = random.nextInt(3);
            int maxWidth = 1;
            while (address < space && values.size() < 10) {
                int width = new int[] {1, 1, 2, 2, 4}[random.nextInt(5)];
                if (address + width > space) {
                    break;
                }
                values.add(value("v" + values.size(), address, width));
                maxWidth = Math.max(maxWidth, width);
                address += width + (random.nextInt(3) == 0 ? 0 : random.nextInt(4));
            }
            if (values.isEmpty()) {
                continue;
            }
            List<ReadableRange> readable = new ArrayList<>();
            int from = random.nextInt(4);
            while (from < space && random.nextInt(4) != 0) {
                int to = Math.min(space, from + random.nextInt(12));
                readable.add(new ReadableRange(RegisterTable.INPUT, from, to));
                from = to + 1 + random.nextInt(5);
            }
            int max = maxWidth + random.nextInt(10);
            MeterMap m = map(max, readable, values.toArray(MapValue[]::new));
            List<String> wanted = values.stream().map(MapValue::name).filter(x -> random.nextInt(4) != 0).toList();
            if (wanted.isEmpty()) {
                wanted = List.of(values.get(0).name());
            }
            ReadPlan plan = ReadPlanner.plan(m, wanted);
            String context = "instance " + n + ": max " + max + ", readable " + readable + ", values "
                    + values.stream().map(v -> v.name() + "@" + v.address() + "+" + v.width()).toList() + ", wanted " + wanted
                    + ", plan " + plan.reads();
            checkRules(m, wanted, plan, context);
            assertEquals(bruteForceMinimum(m, wanted, space + 5), plan.reads().size(), context);
        }
    }

    /** Every request is allowed and every wanted value is read whole by exactly one request. */
    private static void checkRules(MeterMap m, List<String> wanted, ReadPlan plan, String context) {
        List<MapValue> wantedValues = wanted.stream().map(w -> m.value(w).orElseThrow()).toList();
        for (PlannedRead r : plan.reads()) {
            assertTrue(r.quantity() <= m.maxRegistersPerRequest(), context);
            assertTrue(allowed(m, wantedValues, r.address(), r.end()), "request " + r + " breaks the rules; " + context);
            for (String name : r.values()) {
                MapValue v = m.value(name).orElseThrow();
                assertTrue(v.address() >= r.address() && v.end() <= r.end(), context);
            }
        }
        List<String> read = plan.reads().stream().flatMap(r -> r.values().stream()).sorted().toList();
        assertEquals(wanted.stream().sorted().toList(), read, context);
    }

    /** A request may hold a register no wanted value occupies only inside one single readable range. */
    private static boolean allowed(MeterMap m, List<MapValue> wanted, int start, int end) {
        ReadableRange common = null;
        for (int reg = start; reg < end; reg++) {
            int r = reg;
            if (wanted.stream().anyMatch(v -> v.address() <= r && r < v.end())) {
                continue;
            }
            Optional<ReadableRange> range = m.readable().stream().filter(x -> x.contains(RegisterTable.INPUT, r, 1)).findFirst();
            if (range.isEmpty() || (common != null && !common.equals(range.get()))) {
                return false;
            }
            common = range.get();
        }
        return true;
    }

    /** Minimum set cover over every allowed window, by breadth-first search over covered subsets. */
    private static int bruteForceMinimum(MeterMap m, List<String> wanted, int space) {
        List<MapValue> values = wanted.stream().map(w -> m.value(w).orElseThrow()).toList();
        Set<Integer> windows = new HashSet<>();
        for (int start = 0; start < space; start++) {
            for (int end = start + 1; end <= space && end - start <= m.maxRegistersPerRequest(); end++) {
                if (!allowed(m, values, start, end)) {
                    break; // longer windows from this start only add registers
                }
                int mask = 0;
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i).address() >= start && values.get(i).end() <= end) {
                        mask |= 1 << i;
                    }
                }
                if (mask != 0) {
                    windows.add(mask);
                }
            }
        }
        int all = (1 << values.size()) - 1;
        int[] distance = new int[all + 1];
        Arrays.fill(distance, -1);
        distance[0] = 0;
        Deque<Integer> queue = new ArrayDeque<>(List.of(0));
        while (!queue.isEmpty()) {
            int covered = queue.poll();
            if (covered == all) {
                return distance[covered];
            }
            for (int w : windows) {
                int next = covered | w;
                if (distance[next] < 0) {
                    distance[next] = distance[covered] + 1;
                    queue.add(next);
                }
            }
        }
        throw new AssertionError("no cover found");
    }

    static MapValue value(String name, int address, int width) {
        Encoding e = switch (width) {
            case 1 -> Encoding.of(DataType.UINT16);
            case 2 -> Encoding.of(DataType.FLOAT32);
            default -> Encoding.of(DataType.FLOAT64);
        };
        return new MapValue(name, RegisterTable.INPUT, address, e, Unit.W, name, BigDecimal.ONE, Optional.empty(),
                OptionalLong.empty());
    }

    static MeterMap map(int max, List<ReadableRange> readable, MapValue... values) {
        return new MeterMap("test.yaml", "Test", List.of(), "Acme", "test", "test", 1, OptionalInt.empty(),
                OptionalInt.empty(), max, readable, Optional.empty(), List.of(values));
    }
}
