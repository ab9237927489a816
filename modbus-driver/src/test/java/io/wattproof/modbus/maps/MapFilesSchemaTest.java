package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks the built-in register maps against the agreed schema {@code wattproof-meter-map/1}
 * (MAP-SCHEMA.md) by reading them as plain YAML trees, independently of the map loader, and
 * decodes the hand-worked vectors in {@code src/test/resources/maps/} with a minimal reference
 * decoder, so that a map and the document's data format cannot drift apart unnoticed.
 */
class MapFilesSchemaTest {

    static final String MAP_DIR = "/io/wattproof/modbus/maps/";
    static final String VECTOR_DIR = "/maps/";

    /** Duplicate keys would silently drop a value definition, so the parser refuses them. */
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "schema", "model", "aliases", "manufacturer", "description", "source", "phases", "defaults",
            "max_registers_per_request", "readable", "identification", "values", "sunspec_model");
    static final Set<String> DEFAULT_KEYS = Set.of("function", "type", "word_order", "byte_order");
    static final Set<String> VALUE_KEYS = Set.of(
            "address", "offset", "unit", "description", "function", "type", "word_order", "byte_order",
            "scale", "scale_factor", "not_available", "registers");
    static final Set<String> FUNCTIONS = Set.of("input", "holding");
    static final Set<String> WORD_ORDERS = Set.of("high_first", "low_first");
    static final Set<String> BYTE_ORDERS = Set.of("big", "little");
    /** Registers per value; a string's width is its {@code registers} field. */
    static final Map<String, Integer> TYPE_WIDTHS = Map.ofEntries(
            Map.entry("int16", 1), Map.entry("uint16", 1), Map.entry("sunssf", 1),
            Map.entry("int32", 2), Map.entry("uint32", 2), Map.entry("float32", 2), Map.entry("acc32", 2),
            Map.entry("int64", 4), Map.entry("uint64", 4), Map.entry("float64", 4),
            Map.entry("string", 0));
    /** Device-side units and the factor that takes each to its SI-derived output unit. */
    static final Map<String, Double> UNIT_FACTORS = Map.ofEntries(
            Map.entry("V", 1.0), Map.entry("A", 1.0), Map.entry("W", 1.0), Map.entry("var", 1.0),
            Map.entry("VA", 1.0), Map.entry("Hz", 1.0), Map.entry("Wh", 1.0), Map.entry("varh", 1.0),
            Map.entry("VAh", 1.0), Map.entry("kW", 1000.0), Map.entry("kvar", 1000.0),
            Map.entry("kVA", 1000.0), Map.entry("kWh", 1000.0), Map.entry("kvarh", 1000.0),
            Map.entry("kVAh", 1000.0), Map.entry("%", 1.0), Map.entry("", 1.0));
    /** The standard value names of MAP-SCHEMA.md and the device units each may be reported in. */
    static final Map<String, Set<String>> STANDARD_UNITS = standardUnits();
    static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");
    static final Pattern MAP_FILE_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*\\.yaml");

    private static Map<String, Set<String>> standardUnits() {
        Map<String, Set<String>> m = new HashMap<>();
        for (String n : List.of("voltage_l1", "voltage_l2", "voltage_l3", "voltage_l1_l2", "voltage_l2_l3",
                "voltage_l3_l1")) {
            m.put(n, Set.of("V"));
        }
        for (String n : List.of("current_l1", "current_l2", "current_l3", "current_n")) {
            m.put(n, Set.of("A"));
        }
        for (String n : List.of("power_l1", "power_l2", "power_l3", "power_total")) {
            m.put(n, Set.of("W", "kW"));
        }
        m.put("reactive_power_total", Set.of("var", "kvar"));
        m.put("apparent_power_total", Set.of("VA", "kVA"));
        m.put("power_factor", Set.of(""));
        m.put("frequency", Set.of("Hz"));
        m.put("import_energy", Set.of("Wh", "kWh"));
        m.put("export_energy", Set.of("Wh", "kWh"));
        m.put("import_reactive_energy", Set.of("varh", "kvarh"));
        m.put("export_reactive_energy", Set.of("varh", "kvarh"));
        return Map.copyOf(m);
    }

    // ---------------------------------------------------------------- the built-in maps

    static List<String> mapFiles() {
        String index = resourceText(MAP_DIR + "index.txt");
        return index.lines().toList();
    }

    @Test
    void indexListsEveryMapFileOnceAndNothingElse() throws URISyntaxException, IOException {
        List<String> listed = mapFiles();
        assertFalse(listed.isEmpty(), "index.txt: expected at least one map file name, actual none");
        for (String line : listed) {
            assertTrue(MAP_FILE_NAME.matcher(line).matches(),
                    "index.txt: expected a lowercase file name ending in .yaml, actual \"" + line + "\"");
        }
        assertEquals(listed.size(), new TreeSet<>(listed).size(), "index.txt: a file name is listed twice");

        URL dir = MapFilesSchemaTest.class.getResource(MAP_DIR + "index.txt");
        assertNotNull(dir, "index.txt not found on the test class path");
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()).getParent())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(onDisk::add);
        }
        assertEquals(onDisk, new TreeSet<>(listed), "index.txt: expected exactly the .yaml files of the directory");
    }

    @ParameterizedTest
    @MethodSource("mapFiles")
    void mapFollowsTheSchema(String file) {
        JsonNode map = readYaml(MAP_DIR + file);
        List<String> problems = problems(map);
        assertTrue(problems.isEmpty(), file + ":\n  " + String.join("\n  ", problems));
    }

    @Test
    void modelNamesAndAliasesAreUniqueAcrossMaps() {
        Map<String, String> owner = new HashMap<>();
        for (String file : mapFiles()) {
            JsonNode map = readYaml(MAP_DIR + file);
            List<String> names = new ArrayList<>();
            names.add(map.path("model").asText());
            map.path("aliases").forEach(a -> names.add(a.asText()));
            for (String name : names) {
                // --model NAME matches case-insensitively, so names must differ ignoring case.
                String previous = owner.putIfAbsent(name.toLowerCase(Locale.ROOT), file);
                if (previous != null) {
                    fail("model name \"" + name + "\": expected in one map only, actual in " + previous + " and " + file);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("mapFiles")
    void handWorkedVectorsDecodeToTheExpectedValues(String file) {
        JsonNode map = readYaml(MAP_DIR + file);
        String vectorFile = VECTOR_DIR + file.replace(".yaml", "-vector.yaml");
        JsonNode vectors = readYaml(vectorFile);
        assertEquals(file, vectors.path("map").asText(), vectorFile + ": field map");
        assertFalse(vectors.path("source").asText().isBlank(), vectorFile + ": field source is required");
        JsonNode list = vectors.path("vectors");
        assertTrue(list.isArray() && !list.isEmpty(), vectorFile + ": expected a non-empty list of vectors");
        int i = 0;
        for (JsonNode vector : list) {
            String where = vectorFile + " vector " + i++ + " (" + vector.path("value").asText() + ")";
            JsonNode value = map.path("values").path(vector.path("value").asText());
            assertTrue(value.isObject(), where + ": expected a value name of the map");
            int[] registers = registers(vector.path("registers"), where);
            OptionalDouble decoded = decode(value, map.path("defaults"), registers, where);
            if (vector.path("absent").asBoolean(false)) {
                assertFalse(vector.has("expected"), where + ": give either expected or absent, not both");
                assertTrue(decoded.isEmpty(), where + ": expected absent, actual " + decoded);
            } else {
                JsonNode expected = vector.path("expected");
                assertTrue(expected.isNumber(), where + ": expected a number in field expected, actual " + expected);
                assertTrue(decoded.isPresent(), where + ": expected " + expected.asDouble() + ", actual absent");
                double e = expected.asDouble();
                double a = decoded.getAsDouble();
                // Scaled integers pick up binary rounding (2301 * 0.1 = 230.10000000000002).
                assertTrue(Math.abs(a - e) <= 1e-9 * Math.max(1.0, Math.abs(e)),
                        where + ": expected " + e + ", actual " + a);
            }
        }
    }

    // ------------------------------------------------- the checker refuses what it should

    static final String VALID = """
            schema: wattproof-meter-map/1
            model: X1
            manufacturer: Example
            description: A meter
            source: a document
            phases: 3
            defaults: {function: holding, type: float32, word_order: high_first, byte_order: big}
            readable:
              - {function: holding, from: 0x0000, to: 0x000F}
            values:
              voltage_l1: {address: 0x0000, unit: V, description: v}
              import_energy: {address: 0x0002, unit: kWh, description: e, type: uint64, scale: 0.01}
            """;

    @Test
    void aValidMapHasNoProblems() {
        assertEquals(List.of(), problems(parse(VALID)));
    }

    @Test
    void overlappingValuesAreRefused() {
        assertProblem(VALID.replace("address: 0x0002", "address: 0x0001"), "overlap");
    }

    @Test
    void aValueOutsideTheReadableRangesIsRefused() {
        assertProblem(VALID.replace("to: 0x000F", "to: 0x0004"), "readable");
    }

    @Test
    void aStandardNameWithAnotherUnitIsRefused() {
        assertProblem(VALID.replace("unit: kWh", "unit: kvarh"), "import_energy");
    }

    @Test
    void unknownUnitsTypesAndFunctionsAreRefused() {
        assertProblem(VALID.replace("unit: V,", "unit: volt,"), "unit");
        assertProblem(VALID.replace("type: uint64", "type: uint48"), "type");
        assertProblem(VALID.replace("defaults: {function: holding", "defaults: {function: coil"), "function");
    }

    @Test
    void addressesMustBeWithin16Bits() {
        assertProblem(VALID.replace("address: 0x0000", "address: 0x10000"), "address");
        assertProblem(VALID.replace("address: 0x0000", "address: -1"), "address");
        // a float32 at 0xFFFF would need register 0x10000
        assertProblem(VALID.replace("to: 0x000F", "to: 0xFFFF").replace("address: 0x0000", "address: 0xFFFF"),
                "address");
    }

    @Test
    void missingRequiredFieldsAreRefused() {
        assertProblem(VALID.replace("source: a document\n", ""), "source");
        assertProblem(VALID.replace("schema: wattproof-meter-map/1", "schema: wattproof-meter-map/2"), "schema");
        assertProblem(VALID.replace(", description: v}", "}"), "description");
        assertProblem(VALID.replace("phases: 3", "phases: 4"), "phases");
    }

    @Test
    void aSinglePhaseMapMustNotNamePhasesTwoAndThree() {
        assertProblem(VALID.replace("phases: 3", "phases: 1")
                .replace("  voltage_l1:", "  voltage_l2:"), "phase");
    }

    @Test
    void notAvailableMustFitTheRawWidth() {
        assertProblem(VALID.replace("scale: 0.01}", "scale: 0.01, not_available: 0x1FFFFFFFFFFFFFFFF}"),
                "not_available");
    }

    @Test
    void duplicateValueNamesAreRefusedByTheParser() {
        String twice = VALID + "  voltage_l1: {address: 0x0008, unit: V, description: again}\n";
        assertThrows(UncheckedIOException.class, () -> parse(twice));
    }

    private static void assertProblem(String yaml, String expectedFragment) {
        List<String> problems = problems(parse(yaml));
        assertTrue(problems.stream().anyMatch(p -> p.contains(expectedFragment)),
                "expected a problem mentioning \"" + expectedFragment + "\", actual " + problems);
    }

    // ---------------------------------------------------------------------- the checker

    /** Every violation of the schema rules that a YAML tree can show, as readable messages. */
    static List<String> problems(JsonNode map) {
        List<String> p = new ArrayList<>();
        if (!map.isObject()) {
            return List.of("document: expected a mapping, actual " + map.getNodeType());
        }
        map.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL_KEYS.contains(k)) {
                p.add("field " + k + ": unknown top-level field");
            }
        });
        if (!"wattproof-meter-map/1".equals(map.path("schema").asText(null))) {
            p.add("schema: expected \"wattproof-meter-map/1\", actual " + map.path("schema"));
        }
        for (String field : List.of("model", "manufacturer", "description", "source")) {
            requireText(map, field, field, p);
        }
        if (map.path("description").asText("").contains("\n")) {
            p.add("description: expected one line");
        }
        if (map.has("aliases")) {
            JsonNode aliases = map.get("aliases");
            if (!aliases.isArray()) {
                p.add("aliases: expected a list, actual " + aliases.getNodeType());
            } else {
                aliases.forEach(a -> {
                    if (!a.isTextual() || a.asText().isBlank()) {
                        p.add("aliases: expected non-blank names, actual " + a);
                    }
                });
            }
        }
        JsonNode phases = map.path("phases");
        if (!phases.isInt() || phases.asInt() < 1 || phases.asInt() > 3) {
            p.add("phases: expected 1, 2 or 3, actual " + phases);
        }
        JsonNode defaults = map.path("defaults");
        if (map.has("defaults")) {
            if (!defaults.isObject()) {
                p.add("defaults: expected a mapping, actual " + defaults.getNodeType());
            } else {
                defaults.fieldNames().forEachRemaining(k -> {
                    if (!DEFAULT_KEYS.contains(k)) {
                        p.add("defaults." + k + ": unknown field");
                    }
                });
                checkEncodingFields(defaults, "defaults", p);
            }
        }
        JsonNode maxNode = map.path("max_registers_per_request");
        boolean maxValid = maxNode.isInt() && maxNode.asInt() >= 1 && maxNode.asInt() <= 125;
        if (map.has("max_registers_per_request") && !maxValid) {
            p.add("max_registers_per_request: expected 1..125, actual " + maxNode);
        }
        Integer maxRegisters = maxValid ? maxNode.asInt() : null;
        List<Range> readable = readableRanges(map, p);
        checkIdentification(map, p);

        boolean sunspec = map.has("sunspec_model");
        JsonNode values = map.path("values");
        if (!values.isObject() || values.isEmpty()) {
            p.add("values: expected a non-empty mapping, actual " + values);
            return p;
        }
        List<Range> occupied = new ArrayList<>();
        values.properties().forEach(e -> {
            String name = e.getKey();
            String where = "values." + name;
            JsonNode v = e.getValue();
            if (!SNAKE_CASE.matcher(name).matches()) {
                p.add(where + ": expected a snake_case name");
            }
            if (!v.isObject()) {
                p.add(where + ": expected a mapping, actual " + v.getNodeType());
                return;
            }
            v.fieldNames().forEachRemaining(k -> {
                if (!VALUE_KEYS.contains(k)) {
                    p.add(where + "." + k + ": unknown field");
                }
            });
            checkEncodingFields(v, where, p);
            requireText(v, "description", where + ".description", p);
            String unit = v.path("unit").isTextual() ? v.get("unit").asText() : null;
            if (unit == null || !UNIT_FACTORS.containsKey(unit)) {
                p.add(where + ".unit: expected one of " + new TreeSet<>(UNIT_FACTORS.keySet()) + ", actual "
                        + v.path("unit"));
            }
            Set<String> standard = STANDARD_UNITS.get(name);
            if (standard != null && unit != null && !standard.contains(unit)) {
                p.add(where + ".unit: " + name + " is a standard name reported in " + standard + ", actual \""
                        + unit + "\"");
            }
            checkPhaseNames(name, phases.asInt(3), where, p);

            String function = resolved(v, defaults, "function");
            String type = resolved(v, defaults, "type");
            if (function == null) {
                p.add(where + ": no function, neither in the value nor in defaults");
            }
            if (type == null) {
                p.add(where + ": no type, neither in the value nor in defaults");
                return;
            }
            int width = width(v, type, where, p);
            if (width == 0) {
                return;
            }
            if (width > 1 && resolved(v, defaults, "word_order") == null) {
                p.add(where + ": a " + width + "-register type needs word_order, in the value or in defaults");
            }
            if (maxRegisters != null && width > maxRegisters) {
                p.add(where + ": " + width + " registers exceed max_registers_per_request " + maxRegisters);
            }
            checkScale(v, values, where, p);
            checkNotAvailable(v, width, where, p);

            String positionField = sunspec ? "offset" : "address";
            if (v.has(sunspec ? "address" : "offset")) {
                p.add(where + ": use " + positionField + (sunspec ? " in a SunSpec model map" : " outside SunSpec maps"));
            }
            JsonNode position = v.path(positionField);
            long first = position.canConvertToLong() && position.isIntegralNumber() ? position.asLong() : -1;
            long minimum = sunspec ? 2 : 0;
            if (first < minimum || first > 0xFFFF) {
                p.add(where + "." + positionField + ": expected an integer " + minimum + "..65535, actual " + position);
                return;
            }
            long last = first + width - 1;
            if (last > 0xFFFF) {
                p.add(where + "." + positionField + ": the value's last register " + last + " is beyond 65535");
                return;
            }
            Range r = new Range(function == null ? "?" : function, (int) first, (int) last, name);
            for (Range o : occupied) {
                if (o.function().equals(r.function()) && o.from() <= r.to() && r.from() <= o.to()) {
                    p.add(where + ": registers " + r + " overlap " + o.owner() + " " + o);
                }
            }
            occupied.add(r);
            if (!readable.isEmpty() && readable.stream().noneMatch(range -> range.contains(r))) {
                p.add(where + ": registers " + r + " are not inside one readable range");
            }
        });
        return p;
    }

    record Range(String function, int from, int to, String owner) {
        boolean contains(Range r) {
            return function.equals(r.function) && from <= r.from && r.to <= to;
        }

        @Override
        public String toString() {
            return function + " " + String.format("0x%04X..0x%04X", from, to);
        }
    }

    private static List<Range> readableRanges(JsonNode map, List<String> p) {
        List<Range> ranges = new ArrayList<>();
        if (!map.has("readable")) {
            return ranges;
        }
        JsonNode readable = map.get("readable");
        if (!readable.isArray() || readable.isEmpty()) {
            p.add("readable: expected a non-empty list, actual " + readable);
            return ranges;
        }
        int i = 0;
        for (JsonNode r : readable) {
            String where = "readable[" + i++ + "]";
            String function = r.path("function").asText(null);
            if (function == null || !FUNCTIONS.contains(function)) {
                p.add(where + ".function: expected one of " + FUNCTIONS + ", actual " + r.path("function"));
                continue;
            }
            JsonNode from = r.path("from");
            JsonNode to = r.path("to");
            if (!from.isIntegralNumber() || !to.isIntegralNumber() || from.asLong() < 0 || to.asLong() > 0xFFFF
                    || from.asLong() > to.asLong()) {
                p.add(where + ": expected 0 <= from <= to <= 65535, actual from " + from + " to " + to);
                continue;
            }
            Range range = new Range(function, from.asInt(), to.asInt(), where);
            for (Range o : ranges) {
                if (o.function().equals(function) && o.from() <= range.to() && range.from() <= o.to()) {
                    p.add(where + ": " + range + " overlaps " + o.owner() + " " + o);
                }
            }
            ranges.add(range);
        }
        return ranges;
    }

    private static void checkIdentification(JsonNode map, List<String> p) {
        if (!map.has("identification")) {
            return;
        }
        JsonNode id = map.get("identification");
        id.fieldNames().forEachRemaining(k -> {
            if (!Set.of("vendor_name", "product_code").contains(k)) {
                p.add("identification." + k + ": unknown field");
            }
        });
        requireText(id, "vendor_name", "identification.vendor_name", p);
        requireText(id, "product_code", "identification.product_code", p);
        try {
            Pattern.compile(id.path("product_code").asText(""));
        } catch (PatternSyntaxException e) {
            p.add("identification.product_code: expected a Java regular expression, actual error " + e.getMessage());
        }
    }

    private static void checkEncodingFields(JsonNode node, String where, List<String> p) {
        checkEnum(node, "function", FUNCTIONS, where, p);
        checkEnum(node, "type", TYPE_WIDTHS.keySet(), where, p);
        checkEnum(node, "word_order", WORD_ORDERS, where, p);
        checkEnum(node, "byte_order", BYTE_ORDERS, where, p);
    }

    private static void checkEnum(JsonNode node, String field, Set<String> allowed, String where, List<String> p) {
        if (node.has(field) && !(node.get(field).isTextual() && allowed.contains(node.get(field).asText()))) {
            p.add(where + "." + field + ": expected one of " + new TreeSet<>(allowed) + ", actual " + node.get(field));
        }
    }

    private static void checkPhaseNames(String name, int phases, String where, List<String> p) {
        if (!STANDARD_UNITS.containsKey(name)) {
            return;
        }
        boolean namesL2 = name.contains("l2");
        boolean namesL3 = name.contains("l3");
        if ((phases == 1 && (namesL2 || namesL3)) || (phases == 2 && namesL3)) {
            p.add(where + ": a " + phases + "-phase map must not use phase name " + name);
        }
    }

    private static int width(JsonNode v, String type, String where, List<String> p) {
        Integer width = TYPE_WIDTHS.get(type);
        if (width == null) {
            return 0; // already reported as an unknown type
        }
        if (type.equals("string")) {
            JsonNode n = v.path("registers");
            if (!n.isInt() || n.asInt() < 1 || n.asInt() > 125) {
                p.add(where + ".registers: a string needs registers 1..125, actual " + n);
                return 0;
            }
            return n.asInt();
        }
        if (v.has("registers")) {
            p.add(where + ".registers: only a string has registers, actual type " + type);
        }
        return width;
    }

    private static void checkScale(JsonNode v, JsonNode values, String where, List<String> p) {
        if (v.has("scale")) {
            JsonNode s = v.get("scale");
            if (!s.isNumber() || !Double.isFinite(s.asDouble()) || s.asDouble() == 0.0) {
                p.add(where + ".scale: expected a finite non-zero number, actual " + s);
            }
        }
        if (v.has("scale_factor")) {
            JsonNode target = values.path(v.get("scale_factor").asText());
            if (!"sunssf".equals(target.path("type").asText())) {
                p.add(where + ".scale_factor: expected the name of a sunssf value of this map, actual "
                        + v.get("scale_factor"));
            }
        }
    }

    private static void checkNotAvailable(JsonNode v, int width, String where, List<String> p) {
        if (!v.has("not_available")) {
            return;
        }
        JsonNode n = v.get("not_available");
        // The raw bit pattern, written as an unsigned number (0x8000 for SunSpec int16).
        BigInteger limit = BigInteger.ONE.shiftLeft(16 * width);
        if (!n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().compareTo(limit) >= 0) {
            p.add(where + ".not_available: expected a raw value 0..2^" + 16 * width + "-1, actual " + n);
        }
    }

    private static void requireText(JsonNode node, String field, String where, List<String> p) {
        JsonNode n = node.path(field);
        if (!n.isTextual() || n.asText().isBlank()) {
            p.add(where + ": required text, actual " + (n.isMissingNode() ? "missing" : n.toString()));
        }
    }

    private static String resolved(JsonNode value, JsonNode defaults, String field) {
        if (value.path(field).isTextual()) {
            return value.get(field).asText();
        }
        return defaults.path(field).isTextual() ? defaults.get(field).asText() : null;
    }

    // ------------------------------------------------------------- the reference decoder

    /**
     * Decodes one value from its raw registers as the schema defines it: registers put in
     * high-first order, bytes in big-endian order, the bit pattern compared with not_available,
     * interpreted by type, multiplied by scale and by the unit's factor to SI-derived units.
     */
    static OptionalDouble decode(JsonNode value, JsonNode defaults, int[] registers, String where) {
        String type = resolved(value, defaults, "type");
        int width = TYPE_WIDTHS.getOrDefault(type, 0);
        assertEquals(width, registers.length, where + ": register count for type " + type);
        int[] ordered = registers.clone();
        if ("little".equals(resolved(value, defaults, "byte_order"))) {
            for (int i = 0; i < ordered.length; i++) {
                ordered[i] = ((ordered[i] & 0xFF) << 8) | (ordered[i] >>> 8);
            }
        }
        if ("low_first".equals(resolved(value, defaults, "word_order"))) {
            for (int i = 0; i < ordered.length / 2; i++) {
                int t = ordered[i];
                ordered[i] = ordered[ordered.length - 1 - i];
                ordered[ordered.length - 1 - i] = t;
            }
        }
        BigInteger raw = BigInteger.ZERO;
        for (int r : ordered) {
            raw = raw.shiftLeft(16).or(BigInteger.valueOf(r));
        }
        if (value.has("not_available") && value.get("not_available").bigIntegerValue().equals(raw)) {
            return OptionalDouble.empty();
        }
        long bits = raw.longValue();
        double number = switch (type) {
            case "int16" -> (short) bits;
            case "uint16" -> bits & 0xFFFF;
            case "int32" -> (int) bits;
            case "uint32" -> bits & 0xFFFF_FFFFL;
            case "int64" -> bits;
            case "uint64" -> raw.doubleValue();
            case "float32" -> Float.intBitsToFloat((int) bits);
            case "float64" -> Double.longBitsToDouble(bits);
            default -> throw new AssertionError(where + ": the reference decoder has no rule for type " + type);
        };
        if (value.has("scale_factor")) {
            throw new AssertionError(where + ": the reference decoder does not resolve scale_factor");
        }
        double scale = value.has("scale") ? value.get("scale").asDouble() : 1.0;
        return OptionalDouble.of(number * scale * UNIT_FACTORS.get(value.path("unit").asText()));
    }

    private static int[] registers(JsonNode list, String where) {
        assertTrue(list.isArray() && !list.isEmpty(), where + ": expected a list of registers");
        int[] r = new int[list.size()];
        for (int i = 0; i < r.length; i++) {
            JsonNode n = list.get(i);
            assertTrue(n.isInt() && n.asInt() >= 0 && n.asInt() <= 0xFFFF,
                    where + ": register " + i + ": expected 0..65535, actual " + n);
            r[i] = n.asInt();
        }
        return r;
    }

    // ------------------------------------------------------------------------ helpers

    static JsonNode parse(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readYaml(String resource) {
        JsonNode node = parse(resourceText(resource));
        assertTrue(node instanceof ObjectNode, resource + ": expected a YAML mapping");
        return node;
    }

    static String resourceText(String resource) {
        try (InputStream in = MapFilesSchemaTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + ": not found on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
