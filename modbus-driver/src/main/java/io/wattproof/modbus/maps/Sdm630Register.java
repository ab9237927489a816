package io.wattproof.modbus.maps;

/**
 * Input registers of the Eastron SDM630 (SDM630-Modbus v2 protocol document, "Modbus Protocol
 * Input Registers", read with FC 04). Each quantity is an IEEE 754 float32 in two consecutive
 * registers, high word first. The document numbers registers from 30001 ("3X" notation); the
 * address on the wire is that number minus 30001, e.g. register 30073 is address 0x0048.
 */
public enum Sdm630Register {
    PHASE_1_VOLTAGE(0x0000, "V", "phase 1 line to neutral voltage"),     // 30001
    PHASE_2_VOLTAGE(0x0002, "V", "phase 2 line to neutral voltage"),     // 30003
    PHASE_3_VOLTAGE(0x0004, "V", "phase 3 line to neutral voltage"),     // 30005
    PHASE_1_CURRENT(0x0006, "A", "phase 1 current"),                     // 30007
    PHASE_2_CURRENT(0x0008, "A", "phase 2 current"),                     // 30009
    PHASE_3_CURRENT(0x000A, "A", "phase 3 current"),                     // 30011
    PHASE_1_ACTIVE_POWER(0x000C, "W", "phase 1 active power"),           // 30013
    PHASE_2_ACTIVE_POWER(0x000E, "W", "phase 2 active power"),           // 30015
    PHASE_3_ACTIVE_POWER(0x0010, "W", "phase 3 active power"),           // 30017
    TOTAL_SYSTEM_POWER(0x0034, "W", "total system power"),               // 30053
    TOTAL_IMPORT_ACTIVE_ENERGY(0x0048, "kWh", "total import active energy"), // 30073
    TOTAL_EXPORT_ACTIVE_ENERGY(0x004A, "kWh", "total export active energy"); // 30075

    /** Registers per value: a float32 spans two 16-bit registers. */
    public static final int WIDTH = 2;

    private final int address;
    private final String unit;
    private final String description;

    Sdm630Register(int address, String unit, String description) {
        this.address = address;
        this.unit = unit;
        this.description = description;
    }

    /** PDU address of the first (high-word) register. */
    public int address() {
        return address;
    }

    /** The document's register number, 30001 + address. */
    public int registerNumber() {
        return 30001 + address;
    }

    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }
}
