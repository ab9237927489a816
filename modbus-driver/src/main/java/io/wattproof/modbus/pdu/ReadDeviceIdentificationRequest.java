package io.wattproof.modbus.pdu;

import java.util.Objects;

/**
 * Read Device Identification request (section 6.21, FC 43 with MEI type 0x0e): function code
 * 0x2b, MEI type 0x0e, read device id code (1 byte, 01..04), object id (1 byte).
 *
 * <p>For stream access (codes 01..03) the object id is where the stream starts: 0 for the first
 * request, then the "next object id" of the previous response. For code 04 it names the one object
 * wanted.
 *
 * @param readCode which category, or one specific object
 * @param objectId 0..255
 */
public record ReadDeviceIdentificationRequest(ReadDeviceIdCode readCode, int objectId) implements ModbusRequest {
    /** Section 6.19/6.21: MEI type 0x0e selects Read Device Identification inside FC 43. */
    public static final int MEI_TYPE = 0x0E;

    public ReadDeviceIdentificationRequest {
        Objects.requireNonNull(readCode, "readCode");
        Checks.requireByte("object id", objectId);
    }

    @Override
    public FunctionCode functionCode() {
        return FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT;
    }

    @Override
    public String toString() {
        return "ReadDeviceIdentificationRequest[readCode=" + readCode + ", objectId=" + Hex.byteValue(objectId) + "]";
    }
}
