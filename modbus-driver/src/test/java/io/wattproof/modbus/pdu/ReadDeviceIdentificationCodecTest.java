package io.wattproof.modbus.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** FC 43 / MEI type 0x0e, Read Device Identification (section 6.21), and its exception response 0xab. */
class ReadDeviceIdentificationCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** The hex of an ASCII string, so vectors show the text they carry. */
    private static String ascii(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static IdentificationObject object(int id, String value) {
        return new IdentificationObject(id, value.getBytes(StandardCharsets.US_ASCII));
    }

    /** Section 6.21 example: basic identification, everything in one response. */
    private static final byte[] BASIC_EXAMPLE = hex(""
            + "2b"      // function code: encapsulated interface transport
            + "0e"      // MEI type: read device identification
            + "01"      // read device id code: basic
            + "01"      // conformity level: basic, stream access only
            + "00"      // more follows: no
            + "00"      // next object id (unused when nothing follows)
            + "03"      // number of objects
            + "00" + "16" + ascii("Company identification")   // object 0x00 VendorName, 22 bytes
            + "01" + "0f" + ascii("Product code XX")          // object 0x01 ProductCode, 15 bytes
            + "02" + "05" + ascii("V2.11"));                  // object 0x02 MajorMinorRevision, 5 bytes

    private static final ReadDeviceIdentificationResponse BASIC_EXAMPLE_RESPONSE = new ReadDeviceIdentificationResponse(
            ReadDeviceIdCode.BASIC, ConformityLevel.BASIC_STREAM_ONLY, false, 0, List.of(
                    object(0x00, "Company identification"),
                    object(0x01, "Product code XX"),
                    object(0x02, "V2.11")));

    /** Individual access to ModelName (0x05) of a device at regular conformity with individual access. */
    private static final byte[] SPECIFIC_MODEL_NAME = hex(""
            + "2b 0e"   // function code, MEI type
            + "04"      // read device id code: one specific object
            + "82"      // conformity level: regular, stream and individual access
            + "00"      // more follows: must be 0x00 for individual access
            + "00"      // next object id
            + "01"      // number of objects: exactly 1 for individual access
            + "05" + "06" + ascii("SDM630"));                 // object 0x05 ModelName, 6 bytes

    // --- vectors --------------------------------------------------------------------------------

    @Test
    void encodesTheBasicRequestOfSection621() {
        assertArrayEquals(hex(""
                + "2b"      // function code
                + "0e"      // MEI type
                + "01"      // read device id code: basic stream access
                + "00"),    // object id: start of the stream
                PduCodec.encode(new ReadDeviceIdentificationRequest(ReadDeviceIdCode.BASIC, 0)));
    }

    @Test
    void decodesTheBasicResponseOfSection621() {
        assertEquals(55, BASIC_EXAMPLE.length);
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.BASIC, 0);
        assertEquals(new DecodeResult.Decoded<>(BASIC_EXAMPLE_RESPONSE), PduCodec.decodeResponse(request, BASIC_EXAMPLE));
        assertArrayEquals(BASIC_EXAMPLE, PduCodec.encode(BASIC_EXAMPLE_RESPONSE));
    }

    @Test
    void decodesAnIndividualAccess() {
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.SPECIFIC, 0x05);
        var expected = new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.SPECIFIC, ConformityLevel.REGULAR, false, 0, List.of(object(0x05, "SDM630")));
        assertEquals(new DecodeResult.Decoded<>(expected), PduCodec.decodeResponse(request, SPECIFIC_MODEL_NAME));
        assertArrayEquals(hex("2b 0e 04 05"), PduCodec.encode(request));
    }

    @Test
    void decodesAResponseThatAnnouncesMore() {
        byte[] pdu = hex(""
                + "2b 0e 02"  // function code, MEI type, read device id code: regular
                + "83"        // conformity level: extended, stream and individual access
                + "ff"        // more follows: yes
                + "03"        // next object id: VendorUrl
                + "01"        // number of objects
                + "00" + "04" + ascii("ACME"));
        var decoded = assertInstanceOf(DecodeResult.Decoded.class,
                PduCodec.decodeResponse(new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, 0), pdu));
        var response = (ReadDeviceIdentificationResponse) decoded.value();
        assertTrue(response.moreFollows());
        assertEquals(0x03, response.nextObjectId());
        assertEquals(ConformityLevel.EXTENDED, response.conformityLevel());
        assertTrue(response.conformityLevel().individualAccess());
        assertEquals(List.of(object(0x00, "ACME")), response.objects());
    }

    @Test
    void decodesTheExceptionResponseOfFc43() {
        // Section 6.21: error code 0xab (0x2b + 0x80), then the exception code.
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.SPECIFIC, 0x42);
        assertEquals(new DecodeResult.Decoded<>(new ExceptionResponse(0x2B, ExceptionCode.ILLEGAL_DATA_ADDRESS)),
                PduCodec.decodeResponse(request, hex("ab 02")));
        assertArrayEquals(hex("ab 01"), PduCodec.encode(new ExceptionResponse(0x2B, ExceptionCode.ILLEGAL_FUNCTION)));
        assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(request, hex("ab 02 00")));
    }

    // --- round trips ---------------------------------------------------------------------------

    @Test
    void roundTripsRandomResponses() {
        Random random = new Random(20261129L);
        for (int i = 0; i < 2000; i++) {
            ReadDeviceIdentificationResponse response = randomResponse(random);
            byte[] pdu = PduCodec.encode(response);
            assertEquals(response.encodedLength(), pdu.length);
            assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(pdu));
            var request = new ReadDeviceIdentificationRequest(response.readCode(),
                    response.readCode() == ReadDeviceIdCode.SPECIFIC ? response.objects().getFirst().id() : 0);
            assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(request, pdu));
        }
    }

    @Test
    void roundTripsEveryRequest() {
        for (ReadDeviceIdCode code : ReadDeviceIdCode.values()) {
            for (int id = 0; id <= 0xFF; id++) {
                var request = new ReadDeviceIdentificationRequest(code, id);
                assertEquals(new RequestDecodeResult.Decoded(request), PduCodec.decodeRequest(PduCodec.encode(request)));
            }
        }
    }

    @Test
    void roundTripsAResponseOfExactly253Bytes() {
        byte[] value = new byte[IdentificationObject.MAX_VALUE_LENGTH];
        Arrays.fill(value, (byte) 'x');
        var response = new ReadDeviceIdentificationResponse(ReadDeviceIdCode.SPECIFIC, ConformityLevel.EXTENDED, false, 0,
                List.of(new IdentificationObject(0x80, value)));
        byte[] pdu = PduCodec.encode(response);
        assertEquals(PduCodec.MAX_PDU_LENGTH, pdu.length);
        assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(pdu));
    }

    // --- truncations and lying lengths -------------------------------------------------------------

    @Test
    void everyTruncationOfAResponseIsInvalid() {
        Random random = new Random(7);
        List<byte[]> valid = new ArrayList<>(List.of(BASIC_EXAMPLE, SPECIFIC_MODEL_NAME, hex("2b 0e 01 81 00 00 00")));
        for (int i = 0; i < 50; i++) {
            valid.add(PduCodec.encode(randomResponse(random)));
        }
        for (byte[] full : valid) {
            var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.from(full[2]).orElseThrow(),
                    full[2] == 4 ? full[7] & 0xFF : 0);
            for (int length = 0; length < full.length; length++) {
                byte[] truncated = Arrays.copyOf(full, length);
                assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(truncated),
                        () -> "truncated to " + truncated.length + ": " + Hex.bytes(truncated));
                assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(request, truncated),
                        () -> "truncated to " + truncated.length + ": " + Hex.bytes(truncated));
            }
        }
    }

    @Test
    void objectLengthsSummingPastTheEndAreAViolation() {
        // Two objects announced; the second claims 9 bytes where 3 remain.
        byte[] pdu = hex("2b 0e 01 01 00 00 02" + "00 02" + ascii("AB") + "01 09" + ascii("XYZ"));
        Violation v = invalid(PduCodec.decodeResponse(pdu));
        assertEquals("object 0x01 (ProductCode) length", v.field());
        assertEquals("at most 3 (bytes left in the pdu)", v.expected());
        assertEquals("9", v.actual());
        assertEquals(Hex.bytes(pdu), v.hex());
    }

    @Test
    void moreObjectsAnnouncedThanThePduHolds() {
        Violation v = invalid(PduCodec.decodeResponse(hex("2b 0e 01 01 00 00 03" + "00 01 41" + "01 01 42")));
        assertEquals("number of objects", v.field());
        assertEquals("at most 2 (the pdu ends after 2 objects)", v.expected());
        assertEquals("3", v.actual());
    }

    @Test
    void bytesAfterTheLastObjectAreAViolation() {
        Violation v = invalid(PduCodec.decodeResponse(hex("2b 0e 01 01 00 00 01" + "00 01 41" + "42")));
        assertEquals("pdu length", v.field());
        assertEquals("10 bytes (header and 1 objects)", v.expected());
        assertEquals("11 bytes", v.actual());
    }

    @Test
    void aResponseLongerThan253BytesIsAViolation() {
        byte[] pdu = Arrays.copyOf(hex("2b 0e 03 83 00 00 01 80 f6"), 7 + 2 + 246);
        assertEquals("pdu length", invalid(PduCodec.decodeResponse(pdu)).field());
    }

    @ParameterizedTest
    @CsvSource({
        // pdu,                              field
        "'2b 0d 01 01 00 00 00',             mei type",
        "'2b 00',                            mei type",
        "'2b 0e 00 01 00 00 00',             read device id code",
        "'2b 0e 05 01 00 00 00',             read device id code",
        "'2b 0e 01 00 00 00 00',             conformity level",
        "'2b 0e 01 04 00 00 00',             conformity level",
        "'2b 0e 01 80 00 00 00',             conformity level",
        "'2b 0e 01 84 00 00 00',             conformity level",
        "'2b 0e 01 01 01 00 00',             more follows",
        "'2b 0e 01 01 fe 00 00',             more follows",
        "'2b 0e 04 81 ff 01 01 00 01 41',    more follows",
        "'2b 0e 04 81 00 00 00',             number of objects",
        "'2b 0e 04 81 00 00 02 00 01 41 01 01 42', number of objects",
        "'2b',                               pdu length",
        "'2b 0e 01 01 00 00',                pdu length",
    })
    void rejectsFieldsOutsideSection621(String pdu, String field) {
        assertEquals(field, invalid(PduCodec.decodeResponse(hex(pdu))).field());
    }

    @Test
    void theReadCodeMustEchoTheRequest() {
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, 0);
        Violation v = invalid(PduCodec.decodeResponse(request, BASIC_EXAMPLE));
        assertEquals("read device id code", v.field());
        assertEquals("0x02 (echo of the request)", v.expected());
        assertEquals("0x01", v.actual());
    }

    @Test
    void individualAccessMustReturnTheObjectAskedFor() {
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.SPECIFIC, 0x01);
        Violation v = invalid(PduCodec.decodeResponse(request, SPECIFIC_MODEL_NAME));
        assertEquals("object id", v.field());
        assertEquals("0x01 (the object asked for)", v.expected());
        assertEquals("0x05", v.actual());
    }

    @Test
    void theFunctionCodeMustBeTheRequests() {
        var request = new ReadDeviceIdentificationRequest(ReadDeviceIdCode.BASIC, 0);
        Violation v = invalid(PduCodec.decodeResponse(request, hex("03 02 0001")));
        assertEquals("function code", v.field());
        assertEquals("0x2b or 0xab", v.expected());
    }

    @Test
    void mutatedResponsesNeverThrowAndWhatDecodesReEncodesIdentically() {
        // Any PDU the decoder accepts must be the canonical encoding of the value it returns:
        // otherwise some byte was ignored or misread. Mutating valid responses (a byte changed, cut
        // short, bytes appended) reaches both sides of every check.
        Random random = new Random(20261130L);
        int decoded = 0;
        int invalid = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] pdu = PduCodec.encode(randomResponse(random));
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                pdu = switch (random.nextInt(3)) {
                    case 0 -> {
                        byte[] changed = pdu.clone();
                        changed[random.nextInt(changed.length)] = (byte) random.nextInt(256);
                        yield changed;
                    }
                    case 1 -> Arrays.copyOf(pdu, random.nextInt(pdu.length + 1));
                    default -> Arrays.copyOf(pdu, pdu.length + 1 + random.nextInt(4));
                };
                if (pdu.length == 0) {
                    break;
                }
            }
            byte[] bytes = pdu;
            switch (PduCodec.decodeResponse(bytes)) {
                case DecodeResult.Decoded<ModbusResponse>(ModbusResponse r) -> {
                    decoded++;
                    assertArrayEquals(bytes, PduCodec.encode(r), () -> Hex.bytes(bytes));
                }
                case DecodeResult.Invalid<ModbusResponse> v -> invalid++;
            }
        }
        assertTrue(decoded > 1000 && invalid > 1000, "decoded " + decoded + ", invalid " + invalid);
    }

    // --- requests a server must refuse (section 6.21 state diagram) -----------------------------------

    @ParameterizedTest
    @CsvSource({
        // pdu,              exception code, field
        "'2b',               3, pdu length",
        "'2b 0e 01',         3, pdu length",
        "'2b 0e 01 00 00',   3, pdu length",
        "'2b 0e 00 00',      3, read device id code",
        "'2b 0e 05 00',      3, read device id code",
        "'2b 0e ff 00',      3, read device id code",
        "'2b 0d 01 00',      1, mei type",
        "'2b 0d',            1, mei type",
    })
    void refusesRequestsWithTheSpecifiedExceptionCode(String pdu, int exceptionCode, String field) {
        byte[] bytes = hex(pdu);
        var refused = assertInstanceOf(RequestDecodeResult.Refused.class, PduCodec.decodeRequest(bytes));
        assertEquals(0x2B, refused.response().function());
        assertEquals(0xAB, refused.response().errorCode());
        assertEquals(exceptionCode, refused.response().exceptionCode());
        assertEquals(field, refused.violation().field());
    }

    // --- record invariants ---------------------------------------------------------------------

    @Test
    void recordsRejectWhatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> new ReadDeviceIdentificationRequest(ReadDeviceIdCode.BASIC, 256));
        assertThrows(IllegalArgumentException.class, () -> new IdentificationObject(0, new byte[245]));
        assertThrows(IllegalArgumentException.class, () -> new IdentificationObject(-1, new byte[0]));
        var specific = assertThrows(IllegalArgumentException.class, () -> new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.SPECIFIC, ConformityLevel.BASIC, false, 0, List.of()));
        assertTrue(specific.getMessage().startsWith("individual access"), specific.getMessage());
        var tooLong = assertThrows(IllegalArgumentException.class, () -> new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.EXTENDED, ConformityLevel.EXTENDED, false, 0,
                List.of(new IdentificationObject(0x80, new byte[200]), new IdentificationObject(0x81, new byte[50]))));
        assertEquals("response length: expected <= 253 bytes, actual 261", tooLong.getMessage());
    }

    @Test
    void identificationObjectCopiesItsValue() {
        byte[] value = {0x41, 0x42};
        IdentificationObject o = new IdentificationObject(1, value);
        value[0] = 0;
        assertEquals(0x41, o.value()[0]);
        o.value()[1] = 0;
        assertEquals(0x42, o.value()[1]);
        assertEquals(object(1, "AB"), o);
        assertEquals("IdentificationObject[id=0x01, value=41 42]", o.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x01, 0x02, 0x03, 0x81, 0x82, 0x83})
    void conformityLevelsOfSection621(int code) {
        ConformityLevel level = ConformityLevel.from(code).orElseThrow();
        assertEquals(code, level.code());
        assertEquals(code >= 0x80, level.individualAccess());
        assertEquals(code & 0x7F, level.category().code());
    }

    private static ReadDeviceIdentificationResponse randomResponse(Random random) {
        ReadDeviceIdCode code = ReadDeviceIdCode.values()[random.nextInt(4)];
        ConformityLevel level = ConformityLevel.values()[random.nextInt(6)];
        List<IdentificationObject> objects = new ArrayList<>();
        int count = code == ReadDeviceIdCode.SPECIFIC ? 1 : random.nextInt(6);
        int room = PduCodec.MAX_PDU_LENGTH - ReadDeviceIdentificationResponse.HEADER_LENGTH;
        for (int i = 0; i < count && room >= 2; i++) {
            byte[] value = new byte[random.nextInt(Math.min(room - 2, 60) + 1)];
            random.nextBytes(value); // the codec carries any bytes; only DeviceIdentification wants ASCII
            objects.add(new IdentificationObject(random.nextInt(256), value));
            room -= 2 + value.length;
        }
        boolean more = code != ReadDeviceIdCode.SPECIFIC && random.nextBoolean();
        return new ReadDeviceIdentificationResponse(code, level, more, random.nextInt(256), objects);
    }

    private static Violation invalid(DecodeResult<ModbusResponse> result) {
        return assertInstanceOf(DecodeResult.Invalid.class, result, () -> "expected invalid, got " + result).violation();
    }
}
