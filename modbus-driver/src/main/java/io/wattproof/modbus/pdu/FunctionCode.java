package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * The function codes this driver implements (Modbus Application Protocol V1.1b3 section 5.1 and
 * 6). Public codes are 1..127; 128..255 are reserved for exception responses (section 7).
 */
public enum FunctionCode {
    /** FC 03, section 6.3: read 1..125 contiguous holding registers (read/write area). */
    READ_HOLDING_REGISTERS(0x03),
    /** FC 04, section 6.4: read 1..125 contiguous input registers (read-only area). */
    READ_INPUT_REGISTERS(0x04),
    /** FC 06, section 6.6: write one holding register; the response echoes the request. */
    WRITE_SINGLE_REGISTER(0x06),
    /** FC 16 (0x10), section 6.12: write 1..123 contiguous holding registers. */
    WRITE_MULTIPLE_REGISTERS(0x10),
    /**
     * FC 43 (0x2b), section 6.19: Encapsulated Interface Transport. Only MEI type 0x0e, Read Device
     * Identification (section 6.21), is implemented; see {@link ReadDeviceIdentificationRequest}.
     */
    ENCAPSULATED_INTERFACE_TRANSPORT(0x2B);

    private final int code;

    FunctionCode(int code) {
        this.code = code;
    }

    /** The code as sent on the wire, 0x01..0x7f. */
    public int code() {
        return code;
    }

    /** The function with this code, or empty if this driver does not implement it. */
    public static Optional<FunctionCode> from(int code) {
        for (FunctionCode f : values()) {
            if (f.code == code) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name() + "(" + Hex.byteValue(code) + ")";
    }
}
