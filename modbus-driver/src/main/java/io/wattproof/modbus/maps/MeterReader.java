package io.wattproof.modbus.maps;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.DecodeResult;
import io.wattproof.modbus.pdu.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Reads a meter through any {@link ModbusMaster} following a {@link MeterMap}: plans the requests
 * ({@link ReadPlanner}), sends them one after the other, and decodes the registers ({@link
 * MeterDecoder}). A thin shell: no state besides the plan for all values, no logging.
 */
public final class MeterReader {
    private final ModbusMaster master;
    private final int unitId;
    private final MeterMap map;
    private final ReadPlan defaultPlan;

    /**
     * @param map an ordinary map, or a SunSpec map located by discovery
     * @throws IllegalArgumentException for a SunSpec map that is not located
     */
    public MeterReader(ModbusMaster master, int unitId, MeterMap map) {
        this.master = Objects.requireNonNull(master, "master");
        this.unitId = unitId;
        this.map = Objects.requireNonNull(map, "map");
        this.defaultPlan = ReadPlanner.plan(map);
    }

    public MeterMap map() {
        return map;
    }

    /** The requests {@link #read()} sends. */
    public ReadPlan plan() {
        return defaultPlan;
    }

    /** Reads every value of the map (scale factors are applied, not reported). */
    public MeterReading read() throws ModbusException {
        return read(defaultPlan);
    }

    /**
     * Reads the named values.
     *
     * @throws IllegalArgumentException for a name the map does not have
     */
    public MeterReading read(Collection<String> names) throws ModbusException {
        return read(ReadPlanner.plan(map, names));
    }

    /**
     * @throws ModbusProtocolException if a register holds something no reading may contain (a NaN
     *     or infinite float, a scale factor outside -10..10, a non-ASCII string): the exception names
     *     the value and register and gives the bytes
     * @throws ModbusException for any failure of the exchanges themselves
     */
    public MeterReading read(ReadPlan plan) throws ModbusException {
        List<int[]> responses = new ArrayList<>(plan.reads().size());
        for (PlannedRead r : plan.reads()) {
            responses.add(switch (r.table()) {
                case INPUT -> master.readInputRegisters(unitId, r.address(), r.quantity());
                case HOLDING -> master.readHoldingRegisters(unitId, r.address(), r.quantity());
            });
        }
        return switch (MeterDecoder.decode(map, plan, responses)) {
            case DecodeResult.Decoded<MeterReading>(MeterReading reading) -> reading;
            case DecodeResult.Invalid<MeterReading>(Violation v) -> throw new ModbusProtocolException(v);
        };
    }
}
