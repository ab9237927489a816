package io.wattproof.modbus.pdu;

import java.util.Optional;

/**
 * The "Read Device ID code" byte of a Read Device Identification request (section 6.21): which
 * category of objects to read, as a stream (01..03) or one object alone (04).
 *
 * <p>Section 6.21 sorts objects into categories: basic 0x00..0x02 (mandatory), regular 0x03..0x7f
 * (0x03..0x06 defined, 0x07..0x7f reserved; optional), extended 0x80..0xff (device dependent).
 * A stream of a category also carries the categories below it, so a regular stream starts with
 * VendorName (0x00).
 */
public enum ReadDeviceIdCode {
    /** 01: stream access to the basic objects 0x00..0x02. */
    BASIC(0x01, 0x02),
    /** 02: stream access to the basic and regular objects 0x00..0x7f. */
    REGULAR(0x02, 0x7F),
    /** 03: stream access to every object 0x00..0xff. */
    EXTENDED(0x03, 0xFF),
    /** 04: individual access to the one object the request's object id names. */
    SPECIFIC(0x04, 0xFF);

    private final int code;
    private final int lastObjectId;

    ReadDeviceIdCode(int code, int lastObjectId) {
        this.code = code;
        this.lastObjectId = lastObjectId;
    }

    /** The byte on the wire, 0x01..0x04. */
    public int code() {
        return code;
    }

    public boolean isStreamAccess() {
        return this != SPECIFIC;
    }

    /** Whether a stream of this code may carry the object {@code objectId} (always true for 04). */
    public boolean includes(int objectId) {
        return objectId >= 0 && objectId <= lastObjectId;
    }

    /** The highest object id a stream of this code may carry. */
    int lastObjectId() {
        return lastObjectId;
    }

    /** The object ids of the category, as {@code "0x00..0x02"}, for messages. */
    String range() {
        return Hex.byteValue(0) + ".." + Hex.byteValue(lastObjectId);
    }

    public static Optional<ReadDeviceIdCode> from(int code) {
        for (ReadDeviceIdCode c : values()) {
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
