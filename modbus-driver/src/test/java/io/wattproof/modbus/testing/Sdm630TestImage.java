package io.wattproof.modbus.testing;

import io.wattproof.modbus.types.Registers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Register images of an Eastron SDM630 for interoperability tests, at the addresses of the
 * "SDM630-Modbus V2" protocol document (section 1.2 input registers, read with FC 04; section 1.3
 * holding registers, read with FC 03 and written with FC 16). Every quantity is an IEEE 754 float32
 * in two registers, high word first, encoded with {@link Registers#fromFloat32}; registers the
 * images do not name are 0.
 *
 * <p>The values have few significant bits, so that a wrong word order or an address shifted by one
 * cannot produce the expected float by accident, and each prints exactly in six significant digits
 * (C's {@code %g}, as mbpoll prints floats).
 */
public final class Sdm630TestImage {
    /** Input registers 0x0000..0x017f: the table ends with 30381 (0x017c), L3 total kvarh. */
    public static final int INPUT_LENGTH = 0x0180;

    /** PDU address -> value of the input registers named here. */
    public static final Map<Integer, Float> INPUTS;
    /** PDU address -> value of the holding registers (meter settings) named here. */
    public static final Map<Integer, Float> SETTINGS;

    static {
        Map<Integer, Float> in = new LinkedHashMap<>();
        in.put(0x0000, 230.5f); // 30001 phase 1 line to neutral volts
        in.put(0x0002, 231.25f); // 30003 phase 2 line to neutral volts
        in.put(0x0004, 229.75f); // 30005 phase 3 line to neutral volts
        in.put(0x0006, 5.5f); // 30007 phase 1 current, A
        in.put(0x0008, 6.125f); // 30009 phase 2 current
        in.put(0x000A, 0.25f); // 30011 phase 3 current
        in.put(0x000C, 1267.75f); // 30013 phase 1 power, W
        in.put(0x000E, 1416.5f); // 30015 phase 2 power
        in.put(0x0010, -57.5f); // 30017 phase 3 power (negative: exporting)
        in.put(0x001E, 0.96875f); // 30031 phase 1 power factor
        in.put(0x002A, 230.5f); // 30043 average line to neutral volts
        in.put(0x002E, 3.875f); // 30047 average line current
        in.put(0x0030, 11.875f); // 30049 sum of line currents
        in.put(0x0034, 2626.75f); // 30053 total system power, W
        in.put(0x0046, 49.9375f); // 30071 frequency of supply voltages, Hz
        in.put(0x0048, 12345.5f); // 30073 total import kWh
        in.put(0x004A, 678.25f); // 30075 total export kWh
        in.put(0x00C8, 399.25f); // 30201 line 1 to line 2 volts
        in.put(0x00CA, 400.5f); // 30203 line 2 to line 3 volts
        in.put(0x00CC, 398.75f); // 30205 line 3 to line 1 volts
        in.put(0x00E0, 0.625f); // 30225 neutral current
        in.put(0x0156, 13023.5f); // 30343 total kWh
        in.put(0x0158, 1024.5f); // 30345 total kvarh
        in.put(0x017C, 341.5f); // 30381 L3 total kvarh
        INPUTS = Collections.unmodifiableMap(in);

        Map<Integer, Float> hold = new LinkedHashMap<>();
        hold.put(0x0002, 60f); // 40003 demand period, minutes
        hold.put(0x000A, 3f); // 40011 system type: 3 = three phase four wire
        hold.put(0x000C, 100f); // 40013 pulse 1 width, ms
        hold.put(0x0012, 0f); // 40019 network parity/stop: 0 = one stop bit, no parity
        hold.put(0x001C, 2f); // 40029 baud rate: 2 = 9600
        SETTINGS = Collections.unmodifiableMap(hold);
    }

    private Sdm630TestImage() {}

    /** The input registers 0x0000..{@link #INPUT_LENGTH}-1. */
    public static int[] inputRegisters() {
        int[] registers = new int[INPUT_LENGTH];
        INPUTS.forEach((address, value) -> putFloat(registers, address, value));
        return registers;
    }

    /**
     * Holding registers 0..{@code length}-1 with the settings, the network node address (40021,
     * 0x0014) set to {@code unitId}; {@code length} at least 0x001e.
     */
    public static int[] holdingRegisters(int length, int unitId) {
        int[] registers = new int[length];
        SETTINGS.forEach((address, value) -> putFloat(registers, address, value));
        putFloat(registers, 0x0014, unitId);
        return registers;
    }

    /** Puts {@code value} at {@code address} and {@code address + 1}, high word first. */
    public static void putFloat(int[] registers, int address, float value) {
        System.arraycopy(Registers.fromFloat32(value), 0, registers, address, 2);
    }
}
