package io.wattproof.modbus.maps;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The value names the agent and {@code meter-agent read --format json} rely on, and the quantity
 * each must measure. A map provides those its meter has and may add others, but must not give these
 * names another meaning: the loader refuses, say, {@code import_energy} in volts.
 *
 * <p>Sign of active power: positive while importing from the grid, negative while exporting.
 */
public final class StandardNames {
    private static final Map<String, Unit.Quantity> QUANTITIES;

    static {
        Map<String, Unit.Quantity> q = new LinkedHashMap<>();
        for (String n : new String[] {"voltage_l1", "voltage_l2", "voltage_l3", "voltage_l1_l2", "voltage_l2_l3", "voltage_l3_l1"}) {
            q.put(n, Unit.Quantity.VOLTAGE);
        }
        for (String n : new String[] {"current_l1", "current_l2", "current_l3", "current_n"}) {
            q.put(n, Unit.Quantity.CURRENT);
        }
        for (String n : new String[] {"power_l1", "power_l2", "power_l3", "power_total"}) {
            q.put(n, Unit.Quantity.ACTIVE_POWER);
        }
        q.put("reactive_power_total", Unit.Quantity.REACTIVE_POWER);
        q.put("apparent_power_total", Unit.Quantity.APPARENT_POWER);
        q.put("power_factor", Unit.Quantity.PLAIN_NUMBER);
        q.put("frequency", Unit.Quantity.FREQUENCY);
        q.put("import_energy", Unit.Quantity.ACTIVE_ENERGY);
        q.put("export_energy", Unit.Quantity.ACTIVE_ENERGY);
        q.put("import_reactive_energy", Unit.Quantity.REACTIVE_ENERGY);
        q.put("export_reactive_energy", Unit.Quantity.REACTIVE_ENERGY);
        QUANTITIES = Collections.unmodifiableMap(q);
    }

    public static final String IMPORT_ENERGY = "import_energy";
    public static final String EXPORT_ENERGY = "export_energy";
    public static final String POWER_TOTAL = "power_total";

    private StandardNames() {}

    /** All standard names, in the order of the schema. */
    public static Map<String, Unit.Quantity> all() {
        return QUANTITIES;
    }

    /** The quantity a standard name must measure; empty for a name that is not standard. */
    public static Optional<Unit.Quantity> quantity(String name) {
        return Optional.ofNullable(QUANTITIES.get(name));
    }

    /** {@code voltage_l1} .. {@code voltage_l3}. */
    public static String voltage(int phase) {
        return "voltage_l" + requirePhase(phase);
    }

    /** {@code current_l1} .. {@code current_l3}. */
    public static String current(int phase) {
        return "current_l" + requirePhase(phase);
    }

    private static int requirePhase(int phase) {
        if (phase < 1 || phase > 3) {
            throw new IllegalArgumentException("phase: expected 1..3, actual " + phase);
        }
        return phase;
    }
}
