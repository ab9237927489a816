package io.wattproof.modbus.testing;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.master.ModbusMaster;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A virtual SDM630 with fixed values, built from the built-in sdm630.yaml, for master tests. */
public final class Sdm630Fixture {
    /** The values the meter agent reads. */
    public static final List<String> AGENT_VALUES = List.of("voltage_l1", "voltage_l2", "voltage_l3",
            "current_l1", "current_l2", "current_l3", "power_total", "import_energy", "export_energy");

    /** Exactly representable as float32, so they come back unchanged. Energies in Wh. */
    public static final Map<String, Double> VALUES;

    static {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("voltage_l1", 230.5);
        v.put("voltage_l2", 231.25);
        v.put("voltage_l3", 229.75);
        v.put("current_l1", 5.5);
        v.put("current_l2", 6.125);
        v.put("current_l3", 0.0);
        v.put("power_total", 3862.5);
        v.put("import_energy", 12_345_500.0); // 12345.5 kWh
        v.put("export_energy", 678_250.0); // 678.25 kWh
        VALUES = java.util.Collections.unmodifiableMap(v);
    }

    private Sdm630Fixture() {}

    public static MeterMap map() {
        return MeterMaps.find("SDM630").orElseThrow();
    }

    public static MeterRegisterImage image() {
        MeterRegisterImage image = new MeterRegisterImage(map());
        image.setAll(VALUES);
        return image;
    }

    public static MeterReading expected() {
        // VALUES are short decimals that float32 holds exactly, so they are also what the meter means.
        Map<String, BigDecimal> decimals = new LinkedHashMap<>();
        VALUES.forEach((name, v) -> decimals.put(name, BigDecimal.valueOf(v)));
        return new MeterReading("SDM630", VALUES, decimals, Map.of(), List.of());
    }

    public static MeterReading read(ModbusMaster master, int unitId) throws ModbusException {
        return new MeterReader(master, unitId, map()).read(AGENT_VALUES);
    }
}
