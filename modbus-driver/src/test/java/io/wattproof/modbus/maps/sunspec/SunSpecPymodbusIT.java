package io.wattproof.modbus.maps.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.maps.MapValue;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.ReadPlanner;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.testing.PymodbusServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discovery and {@link MeterReader} over Modbus TCP against pymodbus 3.0.0 (Debian's
 * python3-pymodbus) serving a SunSpec device built by our own {@link SunSpecDeviceImage}: "SunS" at
 * 40000, the common model, model 203 and the end marker. Checks that what comes back is exactly
 * what was served, through an independent server's framing and register handling.
 */
@Timeout(60)
class SunSpecPymodbusIT {
    private static final int UNIT = 3;
    private static final int BASE = 40000;
    private static final CommonModel IDENTITY = CommonModel.of("Acme Meters", "AM-203 wye", "opt-x", "4.1.0", "AM203-000817");
    private static final Map<String, Double> SCALE_FACTORS = Map.of(
            "A_SF", -2.0, "V_SF", -1.0, "Hz_SF", -2.0, "W_SF", 0.0, "VA_SF", 0.0, "VAR_SF", 0.0,
            "PF_SF", 0.0, "TotWh_SF", 1.0, "TotVAh_SF", 1.0, "TotVArh_SF", 1.0);
    /** Values as the reading gives them (SI units), chosen to survive the int16/acc32 scaling exactly. */
    private static final Map<String, Double> VALUES = new LinkedHashMap<>();
    /** Points the device does not implement (0x8000, or 0xffffffff for the event bitfield). */
    private static final List<String> NOT_IMPLEMENTED = List.of("voltage_ll_average", "voltage_l1_l2", "voltage_l2_l3",
            "voltage_l3_l1", "events");

    static {
        VALUES.put("current_total", 16.5);
        VALUES.put("current_l1", 5.25);
        VALUES.put("current_l2", 6.0);
        VALUES.put("current_l3", 5.25);
        VALUES.put("voltage_ln_average", 230.4);
        VALUES.put("voltage_l1", 230.5);
        VALUES.put("voltage_l2", 231.2);
        VALUES.put("voltage_l3", 229.5);
        VALUES.put("frequency", 49.98);
        VALUES.put("power_total", -3520.0);
        VALUES.put("power_l1", -1200.0);
        VALUES.put("power_l2", -1180.0);
        VALUES.put("power_l3", -1140.0);
        VALUES.put("apparent_power_total", 3700.0);
        VALUES.put("reactive_power_total", -410.0);
        VALUES.put("power_factor", -0.95);
        VALUES.put("power_factor_l1", -0.96);
        VALUES.put("export_energy", 1_234_560.0);
        VALUES.put("import_energy", 98_765_430.0);
        VALUES.put("import_energy_l1", 32_000_000.0);
        VALUES.put("export_apparent_energy", 2_000_000.0);
        VALUES.put("import_reactive_energy_q1", 4_000_000.0);
    }

    @AutoClose
    private static PymodbusServer server;
    private static SunSpecDeviceImage device;
    @AutoClose
    private ModbusTcpMaster master;

    @BeforeAll
    static void startPymodbus() throws Exception {
        device = SunSpecDeviceImage.build(BASE, IDENTITY, List.of(MeterMaps.sunspecModel(203).orElseThrow()));
        device.image().setAll(SCALE_FACTORS);
        device.image().setAll(VALUES);
        for (String name : NOT_IMPLEMENTED) {
            device.image().setRaw(name, name.equals("events") ? new int[] {0xFFFF, 0xFFFF} : new int[] {0x8000});
        }
        // Holding registers 40000..end and nothing else: reads at the other SunSpec bases get 0x02.
        server = PymodbusServer.start(PymodbusServer.Config.mbap()
                .unit(UNIT)
                .holding(BASE, device.image().registers(RegisterTable.HOLDING, BASE, device.end() - BASE))
                .build());
    }

    @BeforeEach
    void connect() {
        master = server.tcpMaster(Duration.ofSeconds(1));
    }

    @Test
    void discoversTheCommonModelAndTheMeterModel() throws Exception {
        SunSpecDevice found = SunSpecDiscovery.discover(master, UNIT);
        assertEquals(BASE, found.baseAddress());
        assertEquals(List.of(new ModelHeader(1, 40002, 66), new ModelHeader(203, 40070, 105)), found.models());
        assertEquals(new CommonModel(Optional.of("Acme Meters"), Optional.of("AM-203 wye"), Optional.of("opt-x"),
                Optional.of("4.1.0"), Optional.of("AM203-000817")), found.common());
        assertEquals(new ModelHeader(203, 40070, 105), found.meter().orElseThrow());
    }

    @Test
    void readsExactlyTheServedValues() throws Exception {
        MeterMap map = SunSpecDiscovery.discover(master, UNIT).meterMap().orElseThrow();
        MeterReader reader = new MeterReader(master, UNIT, map);
        MeterReading reading = reader.read();

        Map<String, Double> expected = new LinkedHashMap<>();
        List<String> absent = new ArrayList<>();
        for (String name : ReadPlanner.defaultValues(map)) {
            if (NOT_IMPLEMENTED.contains(name)) {
                absent.add(name);
            } else {
                expected.put(name, VALUES.getOrDefault(name, 0.0)); // points not set read as 0
            }
        }
        assertEquals(expected, reading.values());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(reading.values().keySet()));
        assertEquals(absent, reading.absent());
        assertEquals("SunSpec-203", reading.model());
        // The whole model (107 registers) is one readable range: one request.
        assertEquals(1, reader.plan().reads().size());
        MapValue last = map.value("events").orElseThrow();
        assertEquals(last.end(), reader.plan().reads().get(0).end());
    }

    @Test
    void pymodbusRefusesTheUnusedBases() {
        var e = assertThrows(ModbusExceptionResponse.class, () -> master.readHoldingRegisters(UNIT, 0, 2));
        assertEquals(2, e.exceptionCode());
        assertThrows(ModbusExceptionResponse.class, () -> master.readHoldingRegisters(UNIT, 50000, 2));
    }
}
