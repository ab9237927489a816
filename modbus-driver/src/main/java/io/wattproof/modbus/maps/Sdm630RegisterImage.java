package io.wattproof.modbus.maps;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.slave.RegisterBank;
import io.wattproof.modbus.types.Registers;
import java.util.Arrays;
import java.util.Objects;

/**
 * The input-register image of a virtual SDM630, served by a {@code ModbusTcpSlave}. Input
 * registers 0x0000..0x00ff exist and read as 0 until set; reads beyond them are answered with
 * exception code 0x02 (illegal data address), and so are holding-register reads (FC 03), since the
 * image has no configuration registers.
 *
 * <p>Thread-safe: updates and reads hold the same lock, so a reader never sees half of a float32
 * or a mix of two readings.
 */
public final class Sdm630RegisterImage implements RegisterBank {
    /** Input registers 0x0000..0x00ff: the measurement area of the SDM630 input register table. */
    public static final int SIZE = 0x0100;

    private final int[] registers = new int[SIZE]; // guarded by this

    /** Writes every quantity of {@code values}, as float32, into its registers at once. */
    public void update(MeterValues values) {
        Objects.requireNonNull(values, "values");
        double[] v = {
            values.voltageL1(), values.voltageL2(), values.voltageL3(),
            values.currentL1(), values.currentL2(), values.currentL3(),
            values.totalActivePower(), values.importActiveEnergy(), values.exportActiveEnergy()
        };
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
            if (!Float.isFinite(f[i])) {
                throw new IllegalArgumentException(Sdm630.METER_VALUE_REGISTERS.get(i).description()
                        + ": expected a value within float32 range, actual " + v[i]);
            }
        }
        synchronized (this) {
            for (int i = 0; i < f.length; i++) {
                put(Sdm630.METER_VALUE_REGISTERS.get(i), f[i]);
            }
        }
    }

    /**
     * Sets one quantity, including those {@link MeterValues} does not hold (phase powers). Any
     * float is accepted, NaN included, so a simulator can play a faulty meter.
     */
    public synchronized void set(Sdm630Register register, float value) {
        put(register, value);
    }

    /** Sets one raw register, 0x0000..0x00ff, to 0..65535. */
    public synchronized void setRegister(int address, int value) {
        Objects.checkIndex(address, SIZE);
        registers[address] = Registers.uint16(value);
    }

    @Override
    public synchronized int[] read(FunctionCode function, int address, int quantity) throws ModbusExceptionResponse {
        if (function != Sdm630.FUNCTION || address < 0 || quantity < 1 || address + quantity > SIZE) {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        return Arrays.copyOfRange(registers, address, address + quantity);
    }

    private void put(Sdm630Register register, float value) {
        int[] words = Registers.fromFloat32(value, Sdm630.WORD_ORDER);
        registers[register.address()] = words[0];
        registers[register.address() + 1] = words[1];
    }
}
