package io.wattproof.agent.meter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.maps.MapParseResult;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMapParser;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.maps.sunspec.CommonModel;
import io.wattproof.modbus.maps.sunspec.SunSpecDeviceImage;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadRegistersRequest;
import io.wattproof.modbus.pdu.ReadRegistersResponse;
import io.wattproof.modbus.slave.RegisterBank;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModbusMeterSourceTest {
    static final MeterMap SDM630 = MeterMaps.find("SDM630").orElseThrow();

    /** Answers from a register bank in-process, as a master on a perfect link would. */
    record BankMaster(RegisterBank bank) implements ModbusMaster {
        @Override
        public ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
            return switch (request) {
                case ReadRegistersRequest r ->
                        ReadRegistersResponse.of(r.functionCode(), bank.read(r.functionCode(), r.address(), r.quantity()));
                default -> throw new UnsupportedOperationException("a meter source only reads: " + request);
            };
        }

        @Override
        public void close() {}
    }

    static MeterRegisterImage sdm630(double importKwh, double exportKwh) {
        MeterRegisterImage image = new MeterRegisterImage(SDM630);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("voltage_l1", 230.5);
        v.put("voltage_l2", 231.25);
        v.put("voltage_l3", 229.75);
        v.put("current_l1", 5.5);
        v.put("current_l2", 6.125);
        v.put("current_l3", 0.0);
        v.put("power_total", -3862.5);
        v.put("import_energy", importKwh * 1000);
        v.put("export_energy", exportKwh * 1000);
        image.setAll(v);
        return image;
    }

    @Test
    void producesTheSnapshotTheSdm630SourceProduced() throws Exception {
        ModbusMeterSource source = new ModbusMeterSource(new BankMaster(sdm630(12345.5, 678.25)), 1, SDM630);
        assertEquals("SDM630", source.model());
        assertEquals(new MeterSnapshot(12345.5, 678.25, -3862.5, new double[] {230.5, 231.25, 229.75},
                new double[] {5.5, 6.125, 0.0}), source.read());
    }

    /** The snapshot holds the float32 kWh register's value exactly, as before the maps were data. */
    @Test
    void energyIsTheFloat32RegisterInKwhExactly() throws Exception {
        for (double kwh : new double[] {0.3, 1234.567, 99_999.99, 1e-3, 7_654_321.5}) {
            MeterSnapshot s = new ModbusMeterSource(new BankMaster(sdm630(kwh, kwh / 3)), 1, SDM630).read();
            assertEquals((double) (float) kwh, s.importKwh(), "import " + kwh);
            assertEquals((double) (float) (kwh / 3), s.exportKwh(), "export " + kwh);
        }
    }

    @Test
    void aNanEnergyRegisterFailsTheRead() {
        MeterRegisterImage image = sdm630(1, 1);
        image.setRaw("import_energy", 0x7fc0, 0);
        var e = assertThrows(MeterReadException.class, () -> new ModbusMeterSource(new BankMaster(image), 1, SDM630).read());
        assertEquals("SDM630 unit 1: import_energy (input register 0x0048): expected a finite float32, actual NaN "
                + "(bytes 7f c0 00 00)", e.getMessage());
    }

    @Test
    void aNegativeEnergyRegisterCannotBeAReading() {
        var e = assertThrows(MeterReadException.class,
                () -> new ModbusMeterSource(new BankMaster(sdm630(-1, 1)), 1, SDM630).read());
        assertTrue(e.getMessage().startsWith("SDM630 unit 1 returned values that cannot be a reading"), e.getMessage());
    }

    @Test
    void singlePhaseMapsGiveOnePhase() throws Exception {
        MeterMap one = ((MapParseResult.Parsed) MeterMapParser.parse("one.yaml", """
                schema: wattproof-meter-map/1
                model: One
                manufacturer: Acme
                description: single phase test meter
                source: test
                phases: 1
                defaults: {function: holding, type: int32}
                values:
                  voltage_l1: {address: 0, unit: V, scale: 0.1, description: V}
                  current_l1: {address: 2, unit: A, scale: 0.001, description: A}
                  power_total: {address: 4, unit: W, description: P}
                  import_energy: {address: 6, unit: Wh, description: import}
                  export_energy: {address: 8, unit: Wh, description: export}
                """)).map();
        MeterRegisterImage image = new MeterRegisterImage(one);
        image.setAll(Map.of("voltage_l1", 229.9, "current_l1", 3.217, "power_total", 700.0, "import_energy", 5_000_123.0,
                "export_energy", 0.0));
        MeterSnapshot s = new ModbusMeterSource(new BankMaster(image), 7, one).read();
        assertArrayEquals(new double[] {229.9}, s.voltagesV());
        assertArrayEquals(new double[] {3.217}, s.currentsA());
        assertEquals(5_000_123, s.importWh());
    }

    @Test
    void refusesAMapWithoutTheAgentsValues() {
        MeterMap common = MeterMaps.find("SunSpec common").orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> new ModbusMeterSource(new BankMaster((f, a, q) -> new int[q]), 1, common));
        assertThrows(IllegalArgumentException.class, () -> new ModbusMeterSource(new BankMaster((f, a, q) -> new int[q]), 0, SDM630));
    }

    @Test
    void aSunSpecMapIsLocatedByDiscovery() throws Exception {
        MeterMap m203 = MeterMaps.sunspecModel(203).orElseThrow();
        SunSpecDeviceImage device = SunSpecDeviceImage.build(40000, CommonModel.of("Acme", "AM", null, null, "1"), List.of(m203));
        device.image().setAll(Map.of("V_SF", -1.0, "A_SF", -2.0, "W_SF", 0.0, "TotWh_SF", 0.0));
        Map<String, Double> v = new LinkedHashMap<>();
        for (int p = 1; p <= 3; p++) {
            v.put("voltage_l" + p, 230.0 + p);
            v.put("current_l" + p, 1.5 * p);
        }
        v.put("power_total", 1200.0);
        v.put("import_energy", 4_000_500.0);
        v.put("export_energy", 120.0);
        device.image().setAll(v);
        ModbusMeterSource source = new ModbusMeterSource(new BankMaster(device.image()), 1, m203);
        MeterSnapshot s = source.read();
        assertEquals(4000.5, s.importKwh());
        assertArrayEquals(new double[] {231.0, 232.0, 233.0}, s.voltagesV());
        assertEquals("SunSpec-203", source.model());

        // A device without that model is reported, not read at a guessed address.
        MeterMap m201 = MeterMaps.sunspecModel(201).orElseThrow();
        var e = assertThrows(MeterReadException.class,
                () -> new ModbusMeterSource(new BankMaster(device.image()), 1, m201).read());
        assertEquals("SunSpec-201 unit 1: expected SunSpec model 201, the device has models [1, 203]", e.getMessage());
    }
}
