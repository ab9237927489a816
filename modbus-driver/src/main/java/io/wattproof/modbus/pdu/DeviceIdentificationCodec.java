package io.wattproof.modbus.pdu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The FC 43 / MEI type 0x0e part of {@link PduCodec} (section 6.21). The response is the one PDU
 * of this driver whose layout depends on counts and lengths it carries itself, so every one of
 * them is checked against the PDU length before a byte is read on its strength.
 */
final class DeviceIdentificationCodec {
    /** Function code, MEI type, read device id code, object id. */
    static final int REQUEST_LENGTH = 4;

    private static final int FUNCTION = FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT.code();
    private static final int MORE_FOLLOWS = 0xFF;
    private static final int NO_MORE = 0x00;

    private DeviceIdentificationCodec() {}

    static byte[] encode(ReadDeviceIdentificationResponse r) {
        byte[] pdu = new byte[r.encodedLength()];
        pdu[0] = (byte) FUNCTION;
        pdu[1] = (byte) ReadDeviceIdentificationRequest.MEI_TYPE;
        pdu[2] = (byte) r.readCode().code();
        pdu[3] = (byte) r.conformityLevel().code();
        pdu[4] = (byte) (r.moreFollows() ? MORE_FOLLOWS : NO_MORE);
        pdu[5] = (byte) r.nextObjectId();
        pdu[6] = (byte) r.objects().size();
        int offset = ReadDeviceIdentificationResponse.HEADER_LENGTH;
        for (IdentificationObject o : r.objects()) {
            byte[] value = o.value();
            pdu[offset] = (byte) o.id();
            pdu[offset + 1] = (byte) value.length;
            System.arraycopy(value, 0, pdu, offset + 2, value.length);
            offset += 2 + value.length;
        }
        return pdu;
    }

    /**
     * Server side, section 6.21 state diagram: an MEI type other than 0x0e names an encapsulated
     * interface this server does not implement (0x01, illegal function); a wrong length or a read
     * device id code outside 01..04 is an illegal data value (0x03).
     */
    static RequestDecodeResult decodeRequest(byte[] pdu) {
        if (pdu.length < 2) {
            return PduCodec.refused(FUNCTION, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("pdu length",
                    REQUEST_LENGTH + " bytes", pdu.length + " bytes", pdu));
        }
        int meiType = pdu[1] & 0xFF;
        if (meiType != ReadDeviceIdentificationRequest.MEI_TYPE) {
            return PduCodec.refused(FUNCTION, ExceptionCode.ILLEGAL_FUNCTION, Violation.of("mei type",
                    "0x0e (read device identification)", Hex.byteValue(meiType), pdu));
        }
        if (pdu.length != REQUEST_LENGTH) {
            return PduCodec.refused(FUNCTION, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("pdu length",
                    REQUEST_LENGTH + " bytes", pdu.length + " bytes", pdu));
        }
        int code = pdu[2] & 0xFF;
        Optional<ReadDeviceIdCode> readCode = ReadDeviceIdCode.from(code);
        if (readCode.isEmpty()) {
            return PduCodec.refused(FUNCTION, ExceptionCode.ILLEGAL_DATA_VALUE, Violation.of("read device id code",
                    "0x01..0x04", Hex.byteValue(code), pdu));
        }
        return new RequestDecodeResult.Decoded(new ReadDeviceIdentificationRequest(readCode.get(), pdu[3] & 0xFF));
    }

    static DecodeResult<ModbusResponse> decodeResponse(byte[] pdu) {
        int header = ReadDeviceIdentificationResponse.HEADER_LENGTH;
        if (pdu.length >= 2 && (pdu[1] & 0xFF) != ReadDeviceIdentificationRequest.MEI_TYPE) {
            return DecodeResult.invalid("mei type", "0x0e (read device identification)",
                    Hex.byteValue(pdu[1] & 0xFF), pdu);
        }
        if (pdu.length < header) {
            return DecodeResult.invalid("pdu length", "at least " + header + " bytes", pdu.length + " bytes", pdu);
        }
        if (pdu.length > PduCodec.MAX_PDU_LENGTH) {
            return DecodeResult.invalid("pdu length", "at most " + PduCodec.MAX_PDU_LENGTH + " bytes",
                    pdu.length + " bytes", pdu);
        }
        int code = pdu[2] & 0xFF;
        Optional<ReadDeviceIdCode> readCode = ReadDeviceIdCode.from(code);
        if (readCode.isEmpty()) {
            return DecodeResult.invalid("read device id code", "0x01..0x04", Hex.byteValue(code), pdu);
        }
        int level = pdu[3] & 0xFF;
        Optional<ConformityLevel> conformity = ConformityLevel.from(level);
        if (conformity.isEmpty()) {
            return DecodeResult.invalid("conformity level", "one of 0x01 0x02 0x03 0x81 0x82 0x83",
                    Hex.byteValue(level), pdu);
        }
        int more = pdu[4] & 0xFF;
        if (more != NO_MORE && more != MORE_FOLLOWS) {
            return DecodeResult.invalid("more follows", "0x00 or 0xff", Hex.byteValue(more), pdu);
        }
        int nextObjectId = pdu[5] & 0xFF;
        int count = pdu[6] & 0xFF;
        List<IdentificationObject> objects = new ArrayList<>(count);
        int offset = header;
        for (int i = 0; i < count; i++) {
            if (offset + 2 > pdu.length) {
                return DecodeResult.invalid("number of objects",
                        "at most " + i + " (the pdu ends after " + i + " objects)", Integer.toString(count), pdu);
            }
            int id = pdu[offset] & 0xFF;
            int length = pdu[offset + 1] & 0xFF;
            int left = pdu.length - offset - 2;
            if (length > left) {
                return DecodeResult.invalid("object " + DeviceIdentification.describe(id) + " length",
                        "at most " + left + " (bytes left in the pdu)", Integer.toString(length), pdu);
            }
            objects.add(new IdentificationObject(id, Arrays.copyOfRange(pdu, offset + 2, offset + 2 + length)));
            offset += 2 + length;
        }
        if (offset != pdu.length) {
            return DecodeResult.invalid("pdu length",
                    offset + " bytes (header and " + count + " objects)", pdu.length + " bytes", pdu);
        }
        if (readCode.get() == ReadDeviceIdCode.SPECIFIC) {
            // Section 6.21: individual access returns one object and more follows 0x00.
            if (more != NO_MORE) {
                return DecodeResult.invalid("more follows", "0x00 for individual access (read device id code 0x04)",
                        Hex.byteValue(more), pdu);
            }
            if (count != 1) {
                return DecodeResult.invalid("number of objects", "1 for individual access (read device id code 0x04)",
                        Integer.toString(count), pdu);
            }
        }
        return new DecodeResult.Decoded<>(new ReadDeviceIdentificationResponse(
                readCode.get(), conformity.get(), more == MORE_FOLLOWS, nextObjectId, objects));
    }

    /** Section 6.21: the response echoes the read device id code; code 04 returns the object asked for. */
    static Optional<Violation> mismatch(
            ReadDeviceIdentificationRequest request, ReadDeviceIdentificationResponse response, byte[] pdu) {
        if (response.readCode() != request.readCode()) {
            return Optional.of(Violation.of("read device id code",
                    Hex.byteValue(request.readCode().code()) + " (echo of the request)",
                    Hex.byteValue(response.readCode().code()), pdu));
        }
        if (request.readCode() == ReadDeviceIdCode.SPECIFIC && response.objects().getFirst().id() != request.objectId()) {
            return Optional.of(Violation.of("object id", Hex.byteValue(request.objectId()) + " (the object asked for)",
                    Hex.byteValue(response.objects().getFirst().id()), pdu));
        }
        return Optional.empty();
    }
}
