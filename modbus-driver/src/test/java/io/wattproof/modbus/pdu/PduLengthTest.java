package io.wattproof.modbus.pdu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PduLengthTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static final List<ModbusRequest> REQUESTS = List.of(
            new ReadHoldingRegistersRequest(0x6B, 3),
            new ReadInputRegistersRequest(0, 125),
            new WriteSingleRegisterRequest(1, 3),
            new WriteMultipleRegistersRequest(1, new int[] {10, 258}),
            new WriteMultipleRegistersRequest(0, new int[123]),
            new ReadDeviceIdentificationRequest(ReadDeviceIdCode.SPECIFIC, 5));

    private static final List<ModbusResponse> RESPONSES = List.of(
            new ReadHoldingRegistersResponse(new int[] {555, 0, 100}),
            new ReadInputRegistersResponse(new int[125]),
            new WriteSingleRegisterResponse(1, 3),
            new WriteMultipleRegistersResponse(1, 2),
            new ExceptionResponse(0x2B, 2),
            new ReadDeviceIdentificationResponse(ReadDeviceIdCode.BASIC, ConformityLevel.BASIC, false, 0, List.of()),
            new ReadDeviceIdentificationResponse(ReadDeviceIdCode.REGULAR, ConformityLevel.REGULAR, false, 0, List.of(
                    new IdentificationObject(0, "Eastron".getBytes(StandardCharsets.US_ASCII)),
                    new IdentificationObject(1, new byte[0]),
                    new IdentificationObject(5, "SDM630".getBytes(StandardCharsets.US_ASCII)))),
            new ReadDeviceIdentificationResponse(ReadDeviceIdCode.SPECIFIC, ConformityLevel.EXTENDED, false, 0, List.of(
                    new IdentificationObject(0x80, new byte[IdentificationObject.MAX_VALUE_LENGTH]))));

    @Test
    void everyPrefixOfARequestTellsItsLengthOrAsksForMore() {
        for (ModbusRequest request : REQUESTS) {
            assertEveryPrefix(PduCodec.encode(request), true);
        }
    }

    @Test
    void everyPrefixOfAResponseTellsItsLengthOrAsksForMore() {
        for (ModbusResponse response : RESPONSES) {
            assertEveryPrefix(PduCodec.encode(response), false);
        }
    }

    /** A prefix yields the full length, or asks for more bytes than it has and no more than the PDU has. */
    private static void assertEveryPrefix(byte[] pdu, boolean request) {
        // The PDU sits inside a larger buffer, as in a receive buffer with an address byte before it.
        byte[] buffer = new byte[1 + pdu.length + 4];
        System.arraycopy(pdu, 0, buffer, 1, pdu.length);
        for (int available = 0; available <= pdu.length + 4; available++) {
            PduLength length = request ? PduLength.ofRequest(buffer, 1, available) : PduLength.ofResponse(buffer, 1, available);
            String where = Hex.bytes(pdu) + " with " + available + " bytes";
            switch (length) {
                case PduLength.Known k -> assertEquals(pdu.length, k.length(), where);
                case PduLength.NeedMore m -> {
                    assertTrue(m.atLeast() > available && m.atLeast() <= pdu.length, where + ": " + m);
                }
                case PduLength.Unknown u -> fail(where + ": " + u.violation().message());
            }
        }
    }

    @Test
    void unknownForFunctionsThisDriverDoesNotImplement() {
        var u = assertInstanceOf(PduLength.Unknown.class, PduLength.ofRequest(hex("05 0001 ff00"), 0, 5));
        assertEquals("function code", u.violation().field());
        assertEquals("0x05", u.violation().actual());
        assertInstanceOf(PduLength.Unknown.class, PduLength.ofResponse(hex("01 01 01"), 0, 3));
        assertInstanceOf(PduLength.Unknown.class, PduLength.ofResponse(hex("2b 0d 01"), 0, 3));
    }

    @Test
    void exceptionResponsesAreTwoBytesWhateverTheFunction() {
        assertEquals(new PduLength.Known(2), PduLength.ofResponse(hex("81"), 0, 1));
        assertEquals(new PduLength.Known(2), PduLength.ofResponse(hex("ab 01"), 0, 2));
    }

    @Test
    void unknownWhenCountsPointPast253Bytes() {
        // A byte count of 0xff would make a 257-byte FC 03 response and a 261-byte FC 16 request.
        assertInstanceOf(PduLength.Unknown.class, PduLength.ofResponse(hex("03 ff"), 0, 2));
        assertInstanceOf(PduLength.Unknown.class, PduLength.ofRequest(hex("10 0000 007f ff"), 0, 6));
        // 43/14 objects whose lengths sum past 253 bytes.
        byte[] pdu = Arrays.copyOf(hex("2b 0e 03 83 00 00 02 80 f4"), 300);
        pdu[7 + 2 + 0xF4] = (byte) 0x81;
        pdu[7 + 2 + 0xF4 + 1] = 1;
        var u = assertInstanceOf(PduLength.Unknown.class, PduLength.ofResponse(pdu, 0, pdu.length));
        assertEquals("pdu length", u.violation().field());
    }
}
