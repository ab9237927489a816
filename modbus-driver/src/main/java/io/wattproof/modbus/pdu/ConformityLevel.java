package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * The conformity level byte of a Read Device Identification response (section 6.21): the highest
 * category of objects the device provides, and whether it also answers individual access (read
 * device id code 04), which the high bit 0x80 says.
 */
public enum ConformityLevel {
    /** 0x01: basic identification, stream access only. */
    BASIC_STREAM_ONLY(0x01, ReadDeviceIdCode.BASIC),
    /** 0x02: regular identification, stream access only. */
    REGULAR_STREAM_ONLY(0x02, ReadDeviceIdCode.REGULAR),
    /** 0x03: extended identification, stream access only. */
    EXTENDED_STREAM_ONLY(0x03, ReadDeviceIdCode.EXTENDED),
    /** 0x81: basic identification, stream and individual access. */
    BASIC(0x81, ReadDeviceIdCode.BASIC),
    /** 0x82: regular identification, stream and individual access. */
    REGULAR(0x82, ReadDeviceIdCode.REGULAR),
    /** 0x83: extended identification, stream and individual access. */
    EXTENDED(0x83, ReadDeviceIdCode.EXTENDED);

    private static final int INDIVIDUAL_ACCESS_BIT = 0x80;

    private final int code;
    private final ReadDeviceIdCode category;

    ConformityLevel(int code, ReadDeviceIdCode category) {
        this.code = code;
        this.category = category;
    }

    /** The byte on the wire. */
    public int code() {
        return code;
    }

    /** The highest category the device provides: {@code BASIC}, {@code REGULAR} or {@code EXTENDED}. */
    public ReadDeviceIdCode category() {
        return category;
    }

    /** Whether the device answers read device id code 04 (one specific object). */
    public boolean individualAccess() {
        return (code & INDIVIDUAL_ACCESS_BIT) != 0;
    }

    public static Optional<ConformityLevel> from(int code) {
        for (ConformityLevel c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name() + "(" + Hex.byteValue(code) + ")";
    }
}
