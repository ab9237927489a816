package io.wattproof.modbus.pdu;

import java.util.Arrays;
import java.util.Objects;

/**
 * One object of a Read Device Identification response (section 6.21): object id (1 byte), object
 * length (1 byte), object value (that many bytes). The value is kept as raw bytes: the standard
 * objects 0x00..0x06 are ASCII strings, extended objects 0x80..0xff are device dependent.
 * {@link DeviceIdentification} interprets them. Holds a private copy of the value.
 *
 * @param id the object id, 0..255
 * @param value 0..244 bytes: the most one object can have in a 253-byte response (7 header bytes,
 *     object id, object length)
 */
public record IdentificationObject(int id, byte[] value) {
    /** 253 - 7 (FC, MEI type, code, conformity, more follows, next object id, count) - 2 (id, length). */
    public static final int MAX_VALUE_LENGTH = PduCodec.MAX_PDU_LENGTH - 7 - 2;

    public IdentificationObject {
        Checks.requireByte("object id", id);
        Objects.requireNonNull(value, "value");
        if (value.length > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("object " + Hex.byteValue(id) + " length: expected 0.."
                    + MAX_VALUE_LENGTH + ", actual " + value.length);
        }
        value = value.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** Bytes this object takes in a response: id, length and value. */
    public int encodedLength() {
        return 2 + value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentificationObject other && id == other.id && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * id + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "IdentificationObject[id=" + Hex.byteValue(id) + ", value=" + Hex.bytes(value) + "]";
    }
}
