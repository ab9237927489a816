package io.wattproof.modbus.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The server's answers (section 6.21) and the client's stream access built on them. */
class DeviceIdentificationTest {
    private static final int FC43 = 0x2B;

    private static final DeviceIdentification METER = new DeviceIdentification(ConformityLevel.REGULAR, Map.of(
            0x00, "Eastron",
            0x01, "SDM630",
            0x02, "V2.0",
            0x05, "SDM630-Modbus V2"));

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String ascii(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static ModbusResponse answer(DeviceIdentification id, ReadDeviceIdCode code, int objectId) {
        return id.answer(new ReadDeviceIdentificationRequest(code, objectId));
    }

    // --- server answers ------------------------------------------------------------------------

    @Test
    void answersBasicStreamAccessWithTheBasicObjects() {
        byte[] expected = hex(""
                + "2b 0e"   // function code, MEI type
                + "01"      // read device id code: basic (echo)
                + "82"      // conformity level: regular, stream and individual access
                + "00 00"   // more follows: no; next object id
                + "03"      // number of objects
                + "00 07" + ascii("Eastron")
                + "01 06" + ascii("SDM630")
                + "02 04" + ascii("V2.0"));
        assertArrayEquals(expected, PduCodec.encode(answer(METER, ReadDeviceIdCode.BASIC, 0)));
    }

    @Test
    void answersRegularStreamAccessWithBasicAndRegularObjects() {
        var r = (ReadDeviceIdentificationResponse) answer(METER, ReadDeviceIdCode.REGULAR, 0);
        assertEquals(List.of(0x00, 0x01, 0x02, 0x05), ids(r));
        assertFalse(r.moreFollows());
    }

    @Test
    void answersAboveItsConformityLevelAtItsConformityLevel() {
        // Section 6.21: asked for more than it has, a device answers at its own level.
        DeviceIdentification basicOnly = new DeviceIdentification(ConformityLevel.BASIC_STREAM_ONLY, METER.objects());
        var r = (ReadDeviceIdentificationResponse) answer(basicOnly, ReadDeviceIdCode.EXTENDED, 0);
        assertEquals(ReadDeviceIdCode.EXTENDED, r.readCode(), "the read code is echoed");
        assertEquals(List.of(0x00, 0x01, 0x02), ids(r));
    }

    @Test
    void restartsTheStreamForAnUnknownObjectId() {
        // Section 6.21: an object id that matches no object is answered as if 0 had been asked.
        var fromUnknown = (ReadDeviceIdentificationResponse) answer(METER, ReadDeviceIdCode.REGULAR, 0x04);
        assertEquals(List.of(0x00, 0x01, 0x02, 0x05), ids(fromUnknown));
        var fromKnown = (ReadDeviceIdentificationResponse) answer(METER, ReadDeviceIdCode.REGULAR, 0x02);
        assertEquals(List.of(0x02, 0x05), ids(fromKnown));
    }

    @Test
    void splitsAStreamThatDoesNotFitIn253Bytes() {
        Map<Integer, String> objects = new TreeMap<>();
        for (int id = 0; id <= 6; id++) {
            objects.put(id, Character.toString('A' + id).repeat(100));
        }
        DeviceIdentification big = new DeviceIdentification(ConformityLevel.REGULAR, objects);
        // 7 + 2 x 102 = 211 bytes; a third object would make 313.
        var first = (ReadDeviceIdentificationResponse) answer(big, ReadDeviceIdCode.REGULAR, 0);
        assertEquals(List.of(0, 1), ids(first));
        assertTrue(first.moreFollows());
        assertEquals(2, first.nextObjectId());
        var last = (ReadDeviceIdentificationResponse) answer(big, ReadDeviceIdCode.REGULAR, 6);
        assertEquals(List.of(6), ids(last));
        assertFalse(last.moreFollows());
    }

    @Test
    void answersIndividualAccess() {
        var r = (ReadDeviceIdentificationResponse) answer(METER, ReadDeviceIdCode.SPECIFIC, 0x05);
        assertArrayEquals(hex("2b 0e 04 82 00 00 01 05 10" + ascii("SDM630-Modbus V2")), PduCodec.encode(r));
    }

    @Test
    void refusesIndividualAccessToAnUnknownObjectWithIllegalDataAddress() {
        assertEquals(new ExceptionResponse(FC43, ExceptionCode.ILLEGAL_DATA_ADDRESS),
                answer(METER, ReadDeviceIdCode.SPECIFIC, 0x04));
        // An object above the conformity level's categories is not served either.
        DeviceIdentification basic = new DeviceIdentification(ConformityLevel.BASIC, METER.objects());
        assertEquals(new ExceptionResponse(FC43, ExceptionCode.ILLEGAL_DATA_ADDRESS),
                answer(basic, ReadDeviceIdCode.SPECIFIC, 0x05));
    }

    @Test
    void refusesIndividualAccessFromAStreamOnlyDeviceWithIllegalDataValue() {
        DeviceIdentification streamOnly = new DeviceIdentification(ConformityLevel.REGULAR_STREAM_ONLY, METER.objects());
        assertEquals(new ExceptionResponse(FC43, ExceptionCode.ILLEGAL_DATA_VALUE),
                answer(streamOnly, ReadDeviceIdCode.SPECIFIC, 0x00));
    }

    // --- the record ----------------------------------------------------------------------------

    @Test
    void namedAccessorsReadTheStandardObjects() {
        assertEquals(Optional.of("Eastron"), METER.vendorName());
        assertEquals(Optional.of("SDM630"), METER.productCode());
        assertEquals(Optional.of("V2.0"), METER.revision());
        assertEquals(Optional.of("SDM630-Modbus V2"), METER.modelName());
        assertEquals(Optional.empty(), METER.vendorUrl());
        assertEquals(Optional.empty(), METER.productName());
        assertEquals(Optional.empty(), METER.userApplicationName());
        assertEquals(List.of(0, 1, 2, 5), List.copyOf(METER.objects().keySet()), "ordered by object id");
        assertThrows(UnsupportedOperationException.class, () -> METER.objects().put(3, "x"));
        assertEquals(Optional.of("MajorMinorRevision"), DeviceIdentification.standardName(2));
        assertEquals(Optional.empty(), DeviceIdentification.standardName(7));
    }

    @Test
    void rejectsValuesThatAreNotPrintableAscii() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new DeviceIdentification(ConformityLevel.BASIC, Map.of(1, "Zähler")));
        assertEquals("object 0x01 (ProductCode) value: expected printable ASCII 0x20..0x7e, actual U+00E4 at index 1",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceIdentification(ConformityLevel.BASIC, Map.of(0, "x".repeat(245))));
        assertThrows(IllegalArgumentException.class,
                () -> new DeviceIdentification(ConformityLevel.BASIC, Map.of(256, "x")));
    }

    @Test
    void textDropsTrailingNulPaddingAndRejectsOtherBytes() {
        var padded = DeviceIdentification.text(new IdentificationObject(0, "ABB\0\0\0".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new DecodeResult.Decoded<>("ABB"), padded);
        var bad = assertInstanceOf(DecodeResult.Invalid.class,
                DeviceIdentification.text(new IdentificationObject(5, new byte[] {0x41, (byte) 0xC3, 0x41})));
        assertEquals("object 0x05 (ModelName) value", bad.violation().field());
        assertEquals("byte 0xc3 at index 1", bad.violation().actual());
        assertEquals("41 c3 41", bad.violation().hex());
        var inner = assertInstanceOf(DecodeResult.Invalid.class,
                DeviceIdentification.text(new IdentificationObject(0x81, new byte[] {0x41, 0x00, 0x41})));
        assertEquals("object 0x81 value", inner.violation().field());
    }

    // --- stream access -------------------------------------------------------------------------

    /** Runs a whole stream against {@code device}, passing every request/response through the codec. */
    private static DeviceIdentificationStream.Step run(ReadDeviceIdCode code,
            Function<ReadDeviceIdentificationRequest, ModbusResponse> device, List<ReadDeviceIdentificationRequest> sent) {
        DeviceIdentificationStream stream = DeviceIdentificationStream.start(code);
        while (true) {
            ReadDeviceIdentificationRequest request = stream.request();
            sent.add(request);
            var decodedRequest = (RequestDecodeResult.Decoded) PduCodec.decodeRequest(PduCodec.encode(request));
            ModbusResponse response = device.apply((ReadDeviceIdentificationRequest) decodedRequest.request());
            var decoded = (DecodeResult.Decoded<ModbusResponse>) PduCodec.decodeResponse(request, PduCodec.encode(response));
            var step = stream.accept((ReadDeviceIdentificationResponse) decoded.value());
            if (step instanceof DeviceIdentificationStream.Step.Next next) {
                stream = next.stream();
            } else {
                return step;
            }
        }
    }

    @Test
    void streamAccessCollectsEveryObjectOverSeveralResponses() {
        Map<Integer, String> objects = new TreeMap<>();
        for (int id = 0; id <= 6; id++) {
            objects.put(id, Character.toString('a' + id).repeat(130)); // 7 + 132 + 132 > 253: one object per response
        }
        DeviceIdentification big = new DeviceIdentification(ConformityLevel.REGULAR_STREAM_ONLY, objects);
        List<ReadDeviceIdentificationRequest> sent = new ArrayList<>();
        var done = assertInstanceOf(DeviceIdentificationStream.Step.Done.class,
                run(ReadDeviceIdCode.REGULAR, big::answer, sent));
        assertEquals(big, done.identification());
        assertEquals(7, sent.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6), sent.stream().map(ReadDeviceIdentificationRequest::objectId).toList());
    }

    @Test
    void basicStreamAccessInOneResponse() {
        List<ReadDeviceIdentificationRequest> sent = new ArrayList<>();
        var done = assertInstanceOf(DeviceIdentificationStream.Step.Done.class,
                run(ReadDeviceIdCode.BASIC, METER::answer, sent));
        assertEquals(Map.of(0, "Eastron", 1, "SDM630", 2, "V2.0"), done.identification().objects());
        assertEquals(ConformityLevel.REGULAR, done.identification().conformityLevel());
        assertEquals(1, sent.size());
    }

    @Test
    void aDeviceThatNeverEndsItsStreamIsStoppedAfterMaxRounds() {
        // Each response is empty and points one id further: legal looking, but endless within 0x00..0x7f.
        List<ReadDeviceIdentificationRequest> sent = new ArrayList<>();
        var failed = assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, run(ReadDeviceIdCode.REGULAR,
                r -> new ReadDeviceIdentificationResponse(r.readCode(), ConformityLevel.REGULAR, true, r.objectId() + 1,
                        List.of()), sent));
        assertEquals("more follows", failed.violation().field());
        assertEquals(DeviceIdentificationStream.MAX_ROUNDS, sent.size());
    }

    @Test
    void aNextObjectIdThatDoesNotMoveForwardEndsTheStream() {
        List<ReadDeviceIdentificationRequest> sent = new ArrayList<>();
        var failed = assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, run(ReadDeviceIdCode.REGULAR,
                r -> new ReadDeviceIdentificationResponse(r.readCode(), ConformityLevel.REGULAR, true, 0,
                        List.of(new IdentificationObject(0, new byte[] {0x41}))), sent));
        assertEquals("next object id", failed.violation().field());
        assertEquals("0x00", failed.violation().actual());
        assertEquals(1, sent.size());
    }

    @Test
    void aNextObjectIdOutsideTheCategoryEndsTheStream() {
        var stream = DeviceIdentificationStream.start(ReadDeviceIdCode.BASIC);
        var step = stream.accept(new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.BASIC, ConformityLevel.BASIC, true, 0x03, List.of()));
        var failed = assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, step);
        assertEquals("next object id", failed.violation().field());
        assertEquals("0x01..0x02 (past the object id just asked for, inside the category)", failed.violation().expected());
    }

    @Test
    void anObjectTwiceEndsTheStream() {
        // A device that restarts at 0 when asked for the id it announced itself sends VendorName again.
        List<ReadDeviceIdentificationRequest> sent = new ArrayList<>();
        var failed = assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, run(ReadDeviceIdCode.REGULAR,
                r -> new ReadDeviceIdentificationResponse(r.readCode(), ConformityLevel.REGULAR, true, 1,
                        List.of(new IdentificationObject(0, new byte[] {0x41}))), sent));
        assertEquals("object id", failed.violation().field());
        assertEquals("0x00 (VendorName) again in response 2", failed.violation().actual());
    }

    @Test
    void anObjectOutsideTheRequestedCategoryEndsTheStream() {
        var step = DeviceIdentificationStream.start(ReadDeviceIdCode.BASIC).accept(new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.BASIC, ConformityLevel.REGULAR, false, 0,
                List.of(new IdentificationObject(0x05, new byte[] {0x41}))));
        var failed = assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, step);
        assertEquals("object id", failed.violation().field());
        assertEquals("0x00..0x02 for basic stream access", failed.violation().expected());
    }

    @Test
    void aResponseForAnotherReadCodeEndsTheStream() {
        var step = DeviceIdentificationStream.start(ReadDeviceIdCode.REGULAR).accept(new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.BASIC, ConformityLevel.BASIC, false, 0, List.of()));
        assertEquals("read device id code",
                assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, step).violation().field());
    }

    @Test
    void nonAsciiTextEndsTheStream() {
        var step = DeviceIdentificationStream.start(ReadDeviceIdCode.BASIC).accept(new ReadDeviceIdentificationResponse(
                ReadDeviceIdCode.BASIC, ConformityLevel.BASIC, false, 0,
                List.of(new IdentificationObject(0x00, new byte[] {(byte) 0xFF}))));
        assertEquals("object 0x00 (VendorName) value",
                assertInstanceOf(DeviceIdentificationStream.Step.Failed.class, step).violation().field());
    }

    @Test
    void onlyBasicAndRegularStreamsAreOffered() {
        assertThrows(IllegalArgumentException.class, () -> DeviceIdentificationStream.start(ReadDeviceIdCode.EXTENDED));
        assertThrows(IllegalArgumentException.class, () -> DeviceIdentificationStream.start(ReadDeviceIdCode.SPECIFIC));
    }

    private static List<Integer> ids(ReadDeviceIdentificationResponse r) {
        return r.objects().stream().map(IdentificationObject::id).toList();
    }
}
