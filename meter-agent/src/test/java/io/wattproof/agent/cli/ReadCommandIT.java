package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.maps.ReadPlanner;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.maps.sunspec.CommonModel;
import io.wattproof.modbus.maps.sunspec.SunSpecDeviceImage;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.SocatPtyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/meter-agent read} (the command's code, run in-process) against meters served by
 * pymodbus 3.0 (Debian's python3-pymodbus): an Eastron SDM630 and a SunSpec 203 device, each over
 * Modbus TCP and over Modbus RTU on a socat pseudo-terminal pair. The JSON it prints must hold
 * exactly the values served, as the decimals they were written from; the register images are
 * built with the maps' encoder, the framing and serving are pymodbus'.
 */
@Timeout(120)
class ReadCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    // ------------------------------------------------------------------ SDM630

    private static final MeterMap SDM630 = MeterMaps.find("SDM630").orElseThrow();
    private static final int SDM630_UNIT = 7;
    /** What the meter shows, in SI units (energies in Wh; the registers hold kWh as float32). */
    private static final Map<String, String> SDM630_VALUES = ordered(
            "voltage_l1", "230.1", "voltage_l2", "231.2", "voltage_l3", "229.9",
            "current_l1", "5.5", "current_l2", "6.25", "current_l3", "0.75",
            "power_total", "2875.5", "power_factor", "0.987", "frequency", "49.98",
            "import_energy", "12345600", "export_energy", "678250", "voltage_l1_l2", "399.6");

    private static int[] sdm630Registers() {
        MeterRegisterImage image = new MeterRegisterImage(SDM630);
        SDM630_VALUES.forEach((name, value) -> image.set(name, Double.parseDouble(value)));
        // The image serves the map's values; the gaps between them read as zeros, as on the meter.
        int[] registers = new int[SDM630.values().stream().mapToInt(v -> v.address() + v.width()).max().orElseThrow()];
        for (var v : SDM630.values()) {
            System.arraycopy(image.registers(RegisterTable.INPUT, v.address(), v.width()), 0, registers, v.address(), v.width());
        }
        return registers;
    }

    private static Map<String, BigDecimal> sdm630Expected() {
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        for (String name : ReadPlanner.defaultValues(SDM630)) {
            expected.put(name, new BigDecimal(SDM630_VALUES.getOrDefault(name, "0")));
        }
        return expected;
    }

    private static PymodbusServer sdm630Server(PymodbusServer.Config.Builder link) throws Exception {
        return PymodbusServer.start(link.unit(SDM630_UNIT).input(0, sdm630Registers()).build());
    }

    @Test
    void sdm630OverModbusTcp() throws Exception {
        try (PymodbusServer server = sdm630Server(PymodbusServer.Config.mbap())) {
            Output o = read("--tcp", "127.0.0.1:" + server.port(), "--unit", Integer.toString(SDM630_UNIT),
                    "--model", "SDM630", "--format", "json");
            assertExactly(sdm630Expected(), o);
            assertTrue(o.err.contains("Eastron SDM630 (sdm630.yaml), unit 7 on 127.0.0.1:" + server.port()), o.err);
        }
    }

    @Test
    void sdm630OverRtuOnAPty() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start();
                PymodbusServer server = sdm630Server(PymodbusServer.Config.serial(pty.a(), 9600))) {
            Output o = read("--serial", pty.b().toString(), "--baud", "9600", "--parity", "N",
                    "--unit", Integer.toString(SDM630_UNIT), "--model", "SDM630", "--format", "json");
            assertExactly(sdm630Expected(), o);

            Output table = read("--serial", pty.b().toString(), "--baud", "9600", "--parity", "N",
                    "--unit", Integer.toString(SDM630_UNIT), "--model", "sdm630", "--values", "voltage_l1,import_energy");
            List<String> lines = table.out.lines().toList();
            assertEquals(3, lines.size(), table.out);
            assertTrue(lines.get(0).startsWith("Eastron SDM630 (sdm630.yaml), unit 7 on " + pty.b() + " 9600 8N1: 1 request in "),
                    lines.get(0));
            assertEquals(List.of("voltage_l1", "230.1", "V"), List.of(lines.get(1).trim().split("\\s+")).subList(0, 3));
            assertEquals(List.of("import_energy", "12345600", "Wh"), List.of(lines.get(2).trim().split("\\s+")).subList(0, 3));
        }
    }

    // ------------------------------------------------------------------ SunSpec 203

    private static final int SUNSPEC_UNIT = 3;
    private static final int BASE = 40000;
    private static final Map<String, String> SCALE_FACTORS = ordered(
            "A_SF", "-2", "V_SF", "-1", "Hz_SF", "-2", "W_SF", "0", "VA_SF", "0", "VAR_SF", "0", "PF_SF", "-2",
            "TotWh_SF", "1", "TotVAh_SF", "1", "TotVArh_SF", "1");
    /** Values that int16 points with these scale factors, and acc32 counters in 10 Wh, hold exactly. */
    private static final Map<String, String> SUNSPEC_VALUES = ordered(
            "current_total", "16.5", "current_l1", "5.25", "current_l2", "6", "current_l3", "5.25",
            "voltage_l1", "230.5", "voltage_l2", "231.2", "voltage_l3", "229.5", "frequency", "49.98",
            "power_total", "-3520", "power_l1", "-1200", "power_factor", "-0.95",
            "import_energy", "98765430", "export_energy", "1234560");
    private static final List<String> NOT_IMPLEMENTED = List.of("voltage_l1_l2", "voltage_l2_l3", "voltage_l3_l1");

    private static PymodbusServer sunspecServer(PymodbusServer.Config.Builder link) throws Exception {
        SunSpecDeviceImage device = SunSpecDeviceImage.build(BASE,
                CommonModel.of("Acme Meters", "AM-203 wye", "opt-x", "4.1.0", "AM203-000817"),
                List.of(MeterMaps.sunspecModel(203).orElseThrow()));
        SCALE_FACTORS.forEach((name, value) -> device.image().set(name, Double.parseDouble(value)));
        SUNSPEC_VALUES.forEach((name, value) -> device.image().set(name, Double.parseDouble(value)));
        NOT_IMPLEMENTED.forEach(name -> device.image().setRaw(name, 0x8000));
        return PymodbusServer.start(link.unit(SUNSPEC_UNIT)
                .holding(BASE, device.image().registers(RegisterTable.HOLDING, BASE, device.end() - BASE))
                .build());
    }

    private static Map<String, BigDecimal> sunspecExpected() {
        MeterMap map = MeterMaps.sunspecModel(203).orElseThrow();
        Map<String, BigDecimal> expected = new LinkedHashMap<>();
        for (String name : ReadPlanner.defaultValues(map)) {
            if (NOT_IMPLEMENTED.contains(name)) {
                expected.put(name, null);
            } else {
                expected.put(name, new BigDecimal(SUNSPEC_VALUES.getOrDefault(name, "0")));
            }
        }
        return expected;
    }

    @Test
    void sunspec203FoundByDiscoveryOverModbusTcp() throws Exception {
        try (PymodbusServer server = sunspecServer(PymodbusServer.Config.mbap())) {
            Output o = read("--tcp", "127.0.0.1:" + server.port(), "--unit", Integer.toString(SUNSPEC_UNIT),
                    "--model", "auto", "--format", "json");
            assertExactly(sunspecExpected(), o);
            assertTrue(o.err.contains("identified by SunSpec model 203 at holding register 40070 (Acme Meters AM-203 wye)"), o.err);
        }
    }

    @Test
    void sunspec203FoundByDiscoveryOverRtuOnAPty() throws Exception {
        try (SocatPtyPair pty = SocatPtyPair.start();
                PymodbusServer server = sunspecServer(PymodbusServer.Config.serial(pty.a(), 9600))) {
            Output o = read("--serial", pty.b().toString(), "--baud", "9600", "--parity", "N",
                    "--unit", Integer.toString(SUNSPEC_UNIT), "--model", "auto", "--format", "json");
            assertExactly(sunspecExpected(), o);
        }
    }

    @Test
    void aMeterThatCannotBeIdentifiedGetsAllAttemptsAndAHint() throws Exception {
        try (PymodbusServer server = sdm630Server(PymodbusServer.Config.mbap())) {
            Output o = read("--tcp", "127.0.0.1:" + server.port(), "--unit", Integer.toString(SDM630_UNIT),
                    "--model", "auto", "--timeout", "500");
            assertEquals(1, o.exit, o.err);
            assertTrue(o.err.contains("could not identify the meter: SunSpec: "), o.err);
            assertTrue(o.err.contains("device identification (FC 43/14): "), o.err);
            assertTrue(o.err.contains("hint: name the model with --model NAME"), o.err);
        }
    }

    // ------------------------------------------------------------------ helpers

    private record Output(int exit, String out, String err) {}

    private static Output read(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("read"));
        all.addAll(List.of(args));
        int exit = MeterAgentCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Output(exit, out.toString(), err.toString());
    }

    /** The output is one JSON object with exactly the expected keys, in order, and values. */
    private static void assertExactly(Map<String, BigDecimal> expected, Output o) throws Exception {
        assertEquals(0, o.exit, "exit status; stderr: " + o.err);
        List<String> lines = o.out.lines().toList();
        assertEquals(1, lines.size(), "one line of JSON on stdout: " + o.out);
        JsonNode json = JSON.readTree(lines.get(0));
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        assertEquals(List.copyOf(expected.keySet()), keys);
        for (Map.Entry<String, BigDecimal> e : expected.entrySet()) {
            JsonNode value = json.get(e.getKey());
            if (e.getValue() == null) {
                assertTrue(value.isNull(), e.getKey() + ": expected null (not implemented), actual " + value);
            } else if (!value.isNumber() || value.decimalValue().compareTo(e.getValue()) != 0) {
                fail(e.getKey() + ": expected " + e.getValue() + ", actual " + value + "\n" + o.out);
            }
        }
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
