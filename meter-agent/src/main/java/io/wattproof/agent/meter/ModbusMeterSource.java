package io.wattproof.agent.meter;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.ReadPlan;
import io.wattproof.modbus.maps.ReadPlanner;
import io.wattproof.modbus.maps.StandardNames;
import io.wattproof.modbus.maps.sunspec.ModelHeader;
import io.wattproof.modbus.maps.sunspec.SunSpecDevice;
import io.wattproof.modbus.maps.sunspec.SunSpecDiscovery;
import io.wattproof.modbus.master.ModbusMaster;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A meter read over Modbus (TCP today; RTU when the driver has it) following a register map: the
 * standard values {@code import_energy}, {@code export_energy}, {@code power_total} and the
 * per-phase {@code voltage_lN} and {@code current_lN} the map's phase count calls for.
 *
 * <p>A SunSpec model map (e.g. {@code SunSpec-203}) is located by discovery on the first read: the
 * device says where its meter model is, and it must be the map's model.
 */
public final class ModbusMeterSource implements MeterSource {
    private final ModbusMaster master;
    private final int unitId;
    private final MeterMap map;
    private final List<String> voltages = new ArrayList<>();
    private final List<String> currents = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private MeterReader reader; // guarded by this; null until a SunSpec map is located
    private ReadPlan plan; // guarded by this; the requests for names, set with reader

    /**
     * @throws IllegalArgumentException for a unit id outside 1..247 or a map without the values the
     *     agent needs
     */
    public ModbusMeterSource(ModbusMaster master, int unitId, MeterMap map) {
        if (unitId < 1 || unitId > 247) {
            throw new IllegalArgumentException("modbus unit id: expected 1..247, got " + unitId);
        }
        this.master = Objects.requireNonNull(master, "master");
        this.unitId = unitId;
        this.map = Objects.requireNonNull(map, "map");
        if (map.phases() < 1) {
            throw new IllegalArgumentException(map.origin() + ": expected a meter map with phases 1..3, got " + map.phases());
        }
        for (int phase = 1; phase <= map.phases(); phase++) {
            voltages.add(StandardNames.voltage(phase));
            currents.add(StandardNames.current(phase));
        }
        names.add(StandardNames.IMPORT_ENERGY);
        names.add(StandardNames.EXPORT_ENERGY);
        names.add(StandardNames.POWER_TOTAL);
        names.addAll(voltages);
        names.addAll(currents);
        List<String> missing = names.stream().filter(n -> map.value(n).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(map.origin() + ": expected the values " + names + " for the agent, missing "
                    + missing);
        }
        if (map.isLocated()) {
            use(map);
        }
    }

    @Override
    public MeterSnapshot read() throws MeterReadException {
        MeterReading r;
        try {
            r = read(names);
        } catch (ModbusException e) {
            throw new MeterReadException(model() + " unit " + unitId + ": " + e.getMessage(), e);
        }
        for (String name : names) {
            if (r.value(name).isEmpty()) {
                throw new MeterReadException(model() + " unit " + unitId + ": " + name
                        + " is marked not implemented by the meter, and the agent needs it");
            }
        }
        try {
            // Readings are in Wh; the snapshot keeps the register's kWh. For float32 kWh registers
            // (Eastron) this division is exact: the reading is the float times 1000, exactly
            // representable (24 + 10 bits), so dividing gives back the float itself.
            return new MeterSnapshot(
                    r.value(StandardNames.IMPORT_ENERGY).getAsDouble() / 1000.0,
                    r.value(StandardNames.EXPORT_ENERGY).getAsDouble() / 1000.0,
                    r.value(StandardNames.POWER_TOTAL).getAsDouble(),
                    voltages.stream().mapToDouble(n -> r.value(n).getAsDouble()).toArray(),
                    currents.stream().mapToDouble(n -> r.value(n).getAsDouble()).toArray());
        } catch (IllegalArgumentException e) {
            throw new MeterReadException(model() + " unit " + unitId + " returned values that cannot be a reading: " + e.getMessage(), e);
        }
    }

    /** Reads {@code names} with the plan made once, after locating a SunSpec model on first use. */
    private synchronized MeterReading read(List<String> names) throws ModbusException, MeterReadException {
        if (reader == null) {
            SunSpecDevice device = SunSpecDiscovery.discover(master, unitId);
            try {
                use(device.locate(map).orElseThrow(() -> new MeterReadException(model() + " unit " + unitId
                        + ": expected SunSpec model " + map.sunspecModel().getAsInt() + ", the device has models "
                        + device.models().stream().map(ModelHeader::id).toList())));
            } catch (IllegalArgumentException e) {
                throw new MeterReadException(model() + " unit " + unitId + ": SunSpec " + e.getMessage(), e);
            }
        }
        return reader.read(plan);
    }

    /** The names never change, so the requests are planned once, not on every read. */
    private void use(MeterMap located) {
        reader = new MeterReader(master, unitId, located);
        plan = ReadPlanner.plan(located, names);
    }

    @Override
    public String model() {
        return map.model();
    }

    @Override
    public void close() {
        master.close();
    }
}
