package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wattproof.modbus.pdu.DecodeResult;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes hand-worked vectors (src/test/resources/maps/&lt;map&gt;-vector.yaml: raw registers as a
 * meter sends them, and the value its register document says they mean, in SI units) through the
 * real loader, planner and decoder, so that a map and its document's data format cannot drift
 * apart. Every built-in map that is not a SunSpec model (those are covered by the SunSpec tests)
 * must have vectors.
 */
class MapVectorsTest {
    private static final String MAP_DIR = "/io/wattproof/modbus/maps/";
    private static final String VECTOR_DIR = "/maps/";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<MeterMap> mapsWithVectors() {
        return MeterMaps.builtIn().stream().filter(m -> !m.isSunSpec()).toList();
    }

    @Test
    void indexListsEveryMapFileOfTheFolderOnce() throws URISyntaxException, IOException {
        URL index = MapVectorsTest.class.getResource(MAP_DIR + "index.txt");
        assertNotNull(index, "index.txt not found on the class path");
        Set<String> onDisk = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of(index.toURI()).getParent())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).forEach(onDisk::add);
        }
        List<String> listed = MeterMaps.builtIn().stream().map(MeterMap::origin).toList();
        assertEquals(onDisk, new TreeSet<>(listed), "index.txt: expected exactly the .yaml files of its folder");
        assertEquals(listed.size(), onDisk.size(), "index.txt lists a file twice: " + listed);
    }

    @ParameterizedTest
    @MethodSource("mapsWithVectors")
    void handWorkedVectorsDecodeToTheDocumentedValues(MeterMap map) throws IOException {
        String vectorFile = VECTOR_DIR + map.origin().replace(".yaml", "-vector.yaml");
        JsonNode vectors;
        try (InputStream in = MapVectorsTest.class.getResourceAsStream(vectorFile)) {
            assertNotNull(in, vectorFile + ": every built-in map needs hand-worked vectors");
            vectors = YAML.readTree(in);
        }
        assertEquals(map.origin(), vectors.path("map").asText(), vectorFile + ": field map");
        assertFalse(vectors.path("source").asText().isBlank(), vectorFile + ": field source is required");
        JsonNode list = vectors.path("vectors");
        assertTrue(list.isArray() && !list.isEmpty(), vectorFile + ": expected a non-empty list of vectors");
        int i = 0;
        for (JsonNode vector : list) {
            String name = vector.path("value").asText();
            String where = vectorFile + " vector " + i++ + " (" + name + ")";
            MapValue value = map.value(name).orElseThrow(() -> new AssertionError(where + ": no such value in the map"));
            MeterReading reading = decode(map, value, registers(vector.path("registers"), value.width(), where), where);
            if (vector.path("absent").asBoolean(false)) {
                assertTrue(reading.absent().contains(name), where + ": expected absent, actual " + reading);
            } else {
                JsonNode expected = vector.path("expected");
                assertTrue(expected.isNumber(), where + ": expected a number in field expected, actual " + expected);
                BigDecimal decimal = reading.decimal(name)
                        .orElseThrow(() -> new AssertionError(where + ": expected " + expected + ", actual absent"));
                // The decimal the meter means must be the document's number exactly.
                assertEquals(0, expected.decimalValue().compareTo(decimal),
                        where + ": expected " + expected.decimalValue() + ", actual " + decimal.toPlainString());
            }
        }
    }

    /** Places the value's registers in the block the planner reads, zeros around them, and decodes. */
    private static MeterReading decode(MeterMap map, MapValue value, int[] registers, String where) {
        ReadPlan plan = ReadPlanner.plan(map, List.of(value.name()));
        assertEquals(1, plan.reads().size(), where + ": expected one read for one value");
        PlannedRead read = plan.reads().get(0);
        int[] block = new int[read.quantity()];
        System.arraycopy(registers, 0, block, value.address() - read.address(), registers.length);
        return switch (MeterDecoder.decode(map, plan, List.of(block))) {
            case DecodeResult.Decoded<MeterReading>(MeterReading r) -> r;
            case DecodeResult.Invalid<MeterReading>(var v) -> throw new AssertionError(where + ": " + v.message());
        };
    }

    private static int[] registers(JsonNode node, int width, String where) {
        if (!node.isArray() || node.size() != width) {
            fail(where + ": expected " + width + " registers, actual " + node);
        }
        int[] r = new int[width];
        for (int i = 0; i < width; i++) {
            r[i] = node.get(i).asInt(-1);
            assertTrue(r[i] >= 0 && r[i] <= 0xFFFF, where + ": register " + i + " must be 0..65535, actual " + node.get(i));
        }
        return r;
    }
}
