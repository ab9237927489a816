package io.wattproof.modbus.pdu;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A device's identification objects (section 6.21) as text: what a client collected by stream
 * access, or what a server serves. Values are printable ASCII (0x20..0x7e), as section 6.21 defines
 * the standard objects 0x00..0x06 to be ASCII strings.
 *
 * <p>Section 6.21 makes 0x00..0x02 mandatory, but this record does not require them: a client
 * reports what a device sent, and the accessors return empty for what it did not send.
 *
 * @param conformityLevel the conformity level the device states
 * @param objects object id (0..255) to value (0..244 printable ASCII characters); kept as an
 *     unmodifiable map ordered by object id
 */
public record DeviceIdentification(ConformityLevel conformityLevel, Map<Integer, String> objects) {
    public static final int VENDOR_NAME = 0x00;
    public static final int PRODUCT_CODE = 0x01;
    public static final int MAJOR_MINOR_REVISION = 0x02;
    public static final int VENDOR_URL = 0x03;
    public static final int PRODUCT_NAME = 0x04;
    public static final int MODEL_NAME = 0x05;
    public static final int USER_APPLICATION_NAME = 0x06;

    private static final List<String> STANDARD_NAMES = List.of("VendorName", "ProductCode", "MajorMinorRevision",
            "VendorUrl", "ProductName", "ModelName", "UserApplicationName");

    public DeviceIdentification {
        Objects.requireNonNull(conformityLevel, "conformityLevel");
        SortedMap<Integer, String> sorted = new TreeMap<>();
        for (Map.Entry<Integer, String> e : objects.entrySet()) {
            int id = Checks.requireByte("object id", Objects.requireNonNull(e.getKey(), "object id"));
            String value = Objects.requireNonNull(e.getValue(), () -> "value of object " + Hex.byteValue(id));
            checkAscii(id, value);
            sorted.put(id, value);
        }
        objects = Collections.unmodifiableSortedMap(sorted);
    }

    /** Object 0x00 VendorName (basic, mandatory). */
    public Optional<String> vendorName() {
        return object(VENDOR_NAME);
    }

    /** Object 0x01 ProductCode (basic, mandatory). */
    public Optional<String> productCode() {
        return object(PRODUCT_CODE);
    }

    /** Object 0x02 MajorMinorRevision (basic, mandatory), e.g. {@code "V2.11"}. */
    public Optional<String> revision() {
        return object(MAJOR_MINOR_REVISION);
    }

    /** Object 0x03 VendorUrl (regular, optional). */
    public Optional<String> vendorUrl() {
        return object(VENDOR_URL);
    }

    /** Object 0x04 ProductName (regular, optional). */
    public Optional<String> productName() {
        return object(PRODUCT_NAME);
    }

    /** Object 0x05 ModelName (regular, optional). */
    public Optional<String> modelName() {
        return object(MODEL_NAME);
    }

    /** Object 0x06 UserApplicationName (regular, optional). */
    public Optional<String> userApplicationName() {
        return object(USER_APPLICATION_NAME);
    }

    public Optional<String> object(int id) {
        return Optional.ofNullable(objects.get(id));
    }

    /** The section 6.21 name of a standard object ({@code "VendorName"} for 0x00), or empty. */
    public static Optional<String> standardName(int id) {
        return id >= 0 && id < STANDARD_NAMES.size() ? Optional.of(STANDARD_NAMES.get(id)) : Optional.empty();
    }

    /** {@code "0x01 (ProductCode)"} or {@code "0x85"}, for messages. */
    static String describe(int id) {
        return Hex.byteValue(id) + standardName(id).map(n -> " (" + n + ")").orElse("");
    }

    /**
     * The object's value as text: trailing NUL bytes dropped (firmware often pads fixed-size
     * buffers with them), the rest must be printable ASCII.
     */
    static DecodeResult<String> text(IdentificationObject object) {
        byte[] value = object.value();
        int end = value.length;
        while (end > 0 && value[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int b = value[i] & 0xFF;
            if (b < 0x20 || b > 0x7E) {
                return DecodeResult.invalid("object " + describe(object.id()) + " value",
                        "printable ASCII 0x20..0x7e", "byte " + Hex.byteValue(b) + " at index " + i, value);
            }
        }
        return new DecodeResult.Decoded<>(new String(value, 0, end, StandardCharsets.US_ASCII));
    }

    /**
     * The server's answer to {@code request} (section 6.21), an {@link ExceptionResponse} or a
     * {@link ReadDeviceIdentificationResponse}:
     *
     * <ul>
     *   <li>Stream access (01..03) asked above the conformity level is answered at the conformity
     *       level. An object id that names no object of the category restarts the stream at its
     *       beginning. Objects go out in id order while they fit in 253 bytes; the rest is announced
     *       with more follows = 0xff and the next object id.
     *   <li>Individual access (04) from a device whose conformity level is "stream access only"
     *       gets exception code 0x03 (the read device id code is not acceptable); an object id
     *       naming no object of the conformity level's categories gets 0x02 (illegal data address).
     * </ul>
     */
    public ModbusResponse answer(ReadDeviceIdentificationRequest request) {
        int function = FunctionCode.ENCAPSULATED_INTERFACE_TRANSPORT.code();
        ReadDeviceIdCode category = conformityLevel.category();
        if (request.readCode() == ReadDeviceIdCode.SPECIFIC) {
            if (!conformityLevel.individualAccess()) {
                return new ExceptionResponse(function, ExceptionCode.ILLEGAL_DATA_VALUE);
            }
            String value = objects.get(request.objectId());
            if (value == null || !category.includes(request.objectId())) {
                return new ExceptionResponse(function, ExceptionCode.ILLEGAL_DATA_ADDRESS);
            }
            return new ReadDeviceIdentificationResponse(ReadDeviceIdCode.SPECIFIC, conformityLevel, false, 0,
                    List.of(encode(request.objectId(), value)));
        }
        ReadDeviceIdCode served = request.readCode().code() <= category.code() ? request.readCode() : category;
        List<Integer> ids = new ArrayList<>();
        for (int id : objects.keySet()) {
            if (served.includes(id)) {
                ids.add(id);
            }
        }
        int start = ids.indexOf(request.objectId());
        if (start < 0) {
            start = 0; // section 6.21: as if object 0 were asked for
        }
        List<IdentificationObject> sent = new ArrayList<>();
        int length = ReadDeviceIdentificationResponse.HEADER_LENGTH;
        for (int i = start; i < ids.size(); i++) {
            IdentificationObject object = encode(ids.get(i), objects.get(ids.get(i)));
            if (length + object.encodedLength() > PduCodec.MAX_PDU_LENGTH) {
                return new ReadDeviceIdentificationResponse(
                        request.readCode(), conformityLevel, true, ids.get(i), sent);
            }
            sent.add(object);
            length += object.encodedLength();
        }
        return new ReadDeviceIdentificationResponse(request.readCode(), conformityLevel, false, 0, sent);
    }

    private static IdentificationObject encode(int id, String value) {
        return new IdentificationObject(id, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void checkAscii(int id, String value) {
        if (value.length() > IdentificationObject.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("object " + describe(id) + " length: expected 0.."
                    + IdentificationObject.MAX_VALUE_LENGTH + ", actual " + value.length());
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("object " + describe(id) + " value: expected printable ASCII "
                        + "0x20..0x7e, actual " + String.format("U+%04X", (int) c) + " at index " + i);
            }
        }
    }
}
