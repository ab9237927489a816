package io.wattproof.modbus.pdu;

import java.util.List;
import java.util.Objects;

/**
 * Read Device Identification response (section 6.21): function code 0x2b, MEI type 0x0e, read
 * device id code (echo of the request's), conformity level, more follows (0x00 or 0xff), next
 * object id, number of objects, then each object as id, length, value.
 *
 * @param readCode the request's read device id code
 * @param conformityLevel the device's conformity level
 * @param moreFollows for stream access: more objects remain and need another request starting at
 *     {@code nextObjectId} (0xff on the wire); always false for individual access (code 04)
 * @param nextObjectId 0..255; meaningful only when {@code moreFollows} (section 6.21 calls it
 *     "useless" otherwise, so it is kept as received and not checked)
 * @param objects the objects in this response, in the order received; exactly one for code 04.
 *     Their encoded response must fit in 253 bytes.
 */
public record ReadDeviceIdentificationResponse(
        ReadDeviceIdCode readCode,
        ConformityLevel conformityLevel,
        boolean moreFollows,
        int nextObjectId,
        List<IdentificationObject> objects)
        implements ModbusResponse {

    /** Function code, MEI type, read code, conformity, more follows, next object id, number of objects. */
    public static final int HEADER_LENGTH = 7;

    public ReadDeviceIdentificationResponse {
        Objects.requireNonNull(readCode, "readCode");
        Objects.requireNonNull(conformityLevel, "conformityLevel");
        Checks.requireByte("next object id", nextObjectId);
        objects = List.copyOf(objects);
        if (readCode == ReadDeviceIdCode.SPECIFIC && (moreFollows || objects.size() != 1)) {
            throw new IllegalArgumentException("individual access (read device id code 0x04): expected one object "
                    + "and more follows false, actual " + objects.size() + " objects and more follows " + moreFollows);
        }
        int length = encodedLength(objects);
        if (length > PduCodec.MAX_PDU_LENGTH) {
            throw new IllegalArgumentException(
                    "response length: expected <= " + PduCodec.MAX_PDU_LENGTH + " bytes, actual " + length);
        }
    }

    @Override
    public int functionCode() {
        return FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT.code();
    }

    /** The PDU length of this response in bytes. */
    public int encodedLength() {
        return encodedLength(objects);
    }

    static int encodedLength(List<IdentificationObject> objects) {
        int length = HEADER_LENGTH;
        for (IdentificationObject o : objects) {
            length += o.encodedLength();
        }
        return length;
    }
}
