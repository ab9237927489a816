package io.wattproof.modbus.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeterMapsTest {

    @Test
    void everyIndexedBuiltInMapLoads() throws IOException {
        List<String> listed;
        try (InputStream in = MeterMaps.class.getClassLoader().getResourceAsStream(MeterMaps.INDEX)) {
            listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        }
        assertTrue(listed.contains("sdm630.yaml"), listed.toString());
        assertEquals(listed, MeterMaps.builtIn().stream().map(MeterMap::origin).toList());
    }

    @Test
    void findsByModelOrAliasIgnoringCase() {
        MeterMap sdm = MeterMaps.find("SDM630").orElseThrow();
        assertSame(sdm, MeterMaps.find("sdm630").orElseThrow());
        assertSame(sdm, MeterMaps.find(" sdm630-modbus v2 ").orElseThrow());
        assertTrue(MeterMaps.find("SDM999").isEmpty());
    }

    @Test
    void resolvesNamesAndPaths(@TempDir Path dir) throws Exception {
        assertEquals("SDM630", MeterMaps.resolve("sdm630").model());
        Path file = dir.resolve("my-meter.yaml");
        try (InputStream in = MeterMaps.class.getClassLoader().getResourceAsStream("maps-test/duplicate/a.yaml")) {
            Files.copy(in, file);
        }
        MeterMap mine = MeterMaps.resolve(file.toString());
        assertEquals("Meter A", mine.model());
        assertEquals(file.toString(), mine.origin());

        var unknown = assertThrows(MeterMapException.class, () -> MeterMaps.resolve("SDM999"));
        assertTrue(unknown.getMessage().startsWith("--model: name: expected a built-in model (SDM630"), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith("or a path to a .yaml map file, actual 'SDM999'"), unknown.getMessage());
    }

    @Test
    void loadingAMissingFileNamesIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        var e = assertThrows(MeterMapException.class, () -> MeterMaps.load(missing));
        assertEquals(missing + ": (file): expected an existing map file, actual no such file", e.getMessage());
    }

    @Test
    void loadingAnInvalidFileListsItsProblems(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                schema: wattproof-meter-map/1
                model: Bad
                manufacturer: Acme
                description: bad
                source: test
                phases: 1
                values:
                  voltage_l1: {address: 0, function: input, type: flaot32, unit: V, description: V1}
                  current_l1: {address: 2, function: input, type: float32, unit: Amp, description: A1}
                """);
        var e = assertThrows(MeterMapException.class, () -> MeterMaps.load(file));
        assertEquals(2, e.problems().size());
        assertTrue(e.getMessage().contains(file + ": values.current_l1.unit: expected one of V, A"), e.getMessage());
    }

    @Test
    void notUtf8IsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'m', 'o', 'd', 'e', 'l', ':', ' ', (byte) 0xE9});
        var e = assertThrows(MeterMapException.class, () -> MeterMaps.load(file));
        assertEquals(file + ": (file): expected UTF-8 text, actual bytes that are not UTF-8", e.getMessage());
    }

    @Test
    void twoBuiltInMapsClaimingOneNameBreakTheBuild() {
        var e = assertThrows(IllegalStateException.class,
                () -> MeterMaps.loadIndex(getClass().getClassLoader(), "maps-test/duplicate/index.txt"));
        assertEquals("b.yaml: model or alias 'Shared Name' is already claimed by a.yaml", e.getMessage());
    }

    @Test
    void anInvalidBuiltInMapBreaksTheBuild() {
        var e = assertThrows(IllegalStateException.class,
                () -> MeterMaps.loadIndex(getClass().getClassLoader(), "maps-test/invalid/index.txt"));
        assertTrue(e.getMessage().startsWith("built-in map broken.yaml is invalid:\nbroken.yaml: values.voltage_l1.type"),
                e.getMessage());
    }

    @Test
    void sdm630MapMatchesTheProtocolDocument() {
        MeterMap m = MeterMaps.find("SDM630").orElseThrow();
        assertEquals(3, m.phases());
        assertEquals(80, m.maxRegistersPerRequest());
        // Register numbers 3xxxx of the SDM630 input register table, address = number - 30001.
        int[][] expected = {
            {30001, 0x0000}, {30003, 0x0002}, {30005, 0x0004}, {30007, 0x0006}, {30009, 0x0008}, {30011, 0x000A},
            {30053, 0x0034}, {30071, 0x0046}, {30073, 0x0048}, {30075, 0x004A}, {30201, 0x00C8}, {30225, 0x00E0}
        };
        String[] names = {"voltage_l1", "voltage_l2", "voltage_l3", "current_l1", "current_l2", "current_l3",
            "power_total", "frequency", "import_energy", "export_energy", "voltage_l1_l2", "current_n"};
        for (int i = 0; i < names.length; i++) {
            MapValue v = m.value(names[i]).orElseThrow();
            assertEquals(expected[i][1], v.address(), names[i]);
            assertEquals(expected[i][0] - 30001, v.address(), names[i]);
            assertEquals(RegisterTable.INPUT, v.table());
            assertTrue(v.description().endsWith("(" + expected[i][0] + ")"), v.description());
        }
        assertEquals(Unit.KWH, m.value("import_energy").orElseThrow().unit());
        assertFalse(m.isSunSpec());
    }
}
