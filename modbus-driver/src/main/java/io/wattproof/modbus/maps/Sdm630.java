package io.wattproof.modbus.maps;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.master.ModbusMaster;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.types.Registers;
import io.wattproof.modbus.types.WordOrder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link MeterValues} from an Eastron SDM630 (SDM630-Modbus v2) over any {@link
 * ModbusMaster}. Pure apart from the master calls: no state, no logging.
 */
public final class Sdm630 {
    /** All measured quantities are input registers (FC 04). */
    public static final FunctionCode FUNCTION = FunctionCode.READ_INPUT_REGISTERS;

    /** Eastron sends float32 high word first ("big-endian" in its documents). */
    public static final WordOrder WORD_ORDER = WordOrder.HIGH_WORD_FIRST;

    /** The registers that make up a {@link MeterValues}, in record component order. */
    public static final List<Sdm630Register> METER_VALUE_REGISTERS = List.of(
            Sdm630Register.PHASE_1_VOLTAGE,
            Sdm630Register.PHASE_2_VOLTAGE,
            Sdm630Register.PHASE_3_VOLTAGE,
            Sdm630Register.PHASE_1_CURRENT,
            Sdm630Register.PHASE_2_CURRENT,
            Sdm630Register.PHASE_3_CURRENT,
            Sdm630Register.TOTAL_SYSTEM_POWER,
            Sdm630Register.TOTAL_IMPORT_ACTIVE_ENERGY,
            Sdm630Register.TOTAL_EXPORT_ACTIVE_ENERGY);

    /**
     * The requests {@link #read} sends: only contiguous registers are merged (0x0000..0x000b,
     * 0x0034..0x0035, 0x0048..0x004b), so no request touches a register the document does not
     * list. Three small requests cost little more than one and work on every SDM630 variant.
     */
    public static final List<RegisterBlock> BLOCKS = RegisterBlock.covering(METER_VALUE_REGISTERS.stream()
            .map(r -> new RegisterBlock(r.address(), Sdm630Register.WIDTH))
            .toList());

    private Sdm630() {}

    /**
     * Reads one {@link MeterValues} from unit {@code unitId}.
     *
     * @throws ModbusProtocolException if a register holds NaN or an infinity (a corrupted value,
     *     which must not become a reading); the exception names the register and gives its bytes
     * @throws ModbusException for any failure of the exchanges themselves
     */
    public static MeterValues read(ModbusMaster master, int unitId) throws ModbusException {
        Map<Integer, int[]> blocks = new TreeMap<>();
        for (RegisterBlock block : BLOCKS) {
            blocks.put(block.address(), master.readInputRegisters(unitId, block.address(), block.quantity()));
        }
        double[] v = new double[METER_VALUE_REGISTERS.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = value(METER_VALUE_REGISTERS.get(i), blocks);
        }
        return new MeterValues(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
    }

    private static double value(Sdm630Register register, Map<Integer, int[]> blocks) throws ModbusProtocolException {
        for (RegisterBlock block : BLOCKS) {
            if (block.contains(register.address())) {
                int[] registers = blocks.get(block.address());
                int offset = register.address() - block.address();
                float value = Registers.float32(registers, offset, WORD_ORDER);
                if (!Float.isFinite(value)) {
                    throw new ModbusProtocolException(
                            register.description() + " (input register " + Hex.wordValue(register.address()) + ")",
                            "a finite float32", Float.toString(value),
                            Hex.bytes(new byte[] {
                                (byte) (registers[offset] >>> 8), (byte) registers[offset],
                                (byte) (registers[offset + 1] >>> 8), (byte) registers[offset + 1]
                            }));
                }
                // float -> double is exact: the reading keeps the meter's float32 value.
                return value;
            }
        }
        throw new IllegalStateException("register " + register + " is not covered by " + BLOCKS);
    }
}
