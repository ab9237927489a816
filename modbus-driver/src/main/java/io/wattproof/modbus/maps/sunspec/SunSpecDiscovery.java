package io.wattproof.modbus.maps.sunspec;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.maps.MeterMap;
import io.wattproof.modbus.maps.MeterMaps;
import io.wattproof.modbus.maps.MeterReader;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the SunSpec models of a device over any {@link ModbusMaster} (holding registers, FC 03).
 *
 * <p>SunSpec Information Model Specification: the well-known value "SunS" (0x5375 0x6e53) sits at
 * the base register, 40001 in the specification's 1-based numbering (PDU address 40000) or, on
 * devices that cannot use that range, PDU address 0 or 50000; the models follow it. Discovery reads
 * two registers at each base in that order, then walks the chain with {@link ModelChain}, one
 * two-register header read per model, bounded by {@link ModelChain#MAX_MODELS}. Some devices omit
 * the end marker and answer the read after their last model with exception 0x02 (illegal data
 * address); that ends the chain too. Then it reads the common model's strings.
 */
public final class SunSpecDiscovery {
    /** PDU addresses where "SunS" may be, in the order tried. */
    public static final List<Integer> BASE_ADDRESSES = List.of(40000, 0, 50000);
    /** "Su", "nS": the SunSpec well-known value. */
    public static final int MARKER_HIGH = 0x5375;
    public static final int MARKER_LOW = 0x6e53;
    /** SunSpec meter models with int16 points and scale factors. */
    public static final Set<Integer> METER_MODELS = Set.of(201, 202, 203, 204);

    private SunSpecDiscovery() {}

    /**
     * @throws ModbusProtocolException if no base holds "SunS", the chain breaks a rule, or a model
     *     is shorter than its definition; the exception names the registers and gives the bytes
     * @throws ModbusException for failures of the exchanges (a timeout at any base is one: a device
     *     that does not answer is not probed further)
     */
    public static SunSpecDevice discover(ModbusMaster master, int unitId) throws ModbusException {
        int base = findMarker(master, unitId);
        List<ModelHeader> models = walk(master, unitId, base);
        ModelHeader commonHeader = models.get(0);
        MeterMap common = located(commonHeader);
        MeterReading identity = new MeterReader(master, unitId, common).read(List.of("Mn", "Md", "Opt", "Vr", "SN"));
        CommonModel commonModel = new CommonModel(identity.text("Mn"), identity.text("Md"), identity.text("Opt"),
                identity.text("Vr"), identity.text("SN"));
        Optional<ModelHeader> meter = models.stream().filter(m -> METER_MODELS.contains(m.id())).findFirst();
        if (meter.isPresent()) {
            located(meter.get()); // checks the length before anyone reads it
        }
        return new SunSpecDevice(base, models, commonModel, meter);
    }

    private static int findMarker(ModbusMaster master, int unitId) throws ModbusException {
        List<String> found = new ArrayList<>();
        for (int base : BASE_ADDRESSES) {
            int[] registers;
            try {
                registers = master.readHoldingRegisters(unitId, base, 2);
            } catch (ModbusExceptionResponse e) {
                found.add(base + ": exception " + Hex.byteValue(e.exceptionCode()));
                continue;
            }
            if (registers[0] == MARKER_HIGH && registers[1] == MARKER_LOW) {
                return base;
            }
            found.add(base + ": " + Hex.wordValue(registers[0]) + " " + Hex.wordValue(registers[1]));
        }
        throw new ModbusProtocolException(new Violation("SunSpec marker (holding registers " + BASE_ADDRESSES + ")",
                "53 75 6e 53 (\"SunS\") at one of them", String.join("; ", found), ""));
    }

    private static List<ModelHeader> walk(ModbusMaster master, int unitId, int base) throws ModbusException {
        ModelChain chain = ModelChain.start(base);
        while (true) {
            int[] header;
            try {
                header = master.readHoldingRegisters(unitId, chain.nextAddress(), 2);
            } catch (ModbusExceptionResponse e) {
                if (!chain.models().isEmpty() && e.exceptionCode() == ExceptionCode.ILLEGAL_DATA_ADDRESS.code()) {
                    return chain.models(); // no end marker: the device simply ends after its last model
                }
                throw e;
            }
            switch (chain.feed(header[0], header[1])) {
                case ModelChain.Step.More more -> chain = more.chain();
                case ModelChain.Step.End end -> {
                    return end.models();
                }
                case ModelChain.Step.Invalid invalid -> throw new ModbusProtocolException(invalid.violation());
            }
        }
    }

    /** The built-in map of a model at its place, or the violation of a model too short for it. */
    private static MeterMap located(ModelHeader header) throws ModbusProtocolException {
        MeterMap map = MeterMaps.sunspecModel(header.id())
                .orElseThrow(() -> new IllegalStateException("no built-in map for SunSpec model " + header.id()));
        if (header.length() < map.sunspecLength()) {
            throw new ModbusProtocolException(new Violation(
                    "SunSpec model " + header.id() + " length (holding register " + Hex.wordValue(header.address() + 1) + ")",
                    "at least " + map.sunspecLength() + " registers (" + map.origin() + ")",
                    Integer.toString(header.length()),
                    Hex.bytes(new byte[] {(byte) (header.length() >>> 8), (byte) header.length()})));
        }
        return map.located(header.address(), header.length());
    }
}
