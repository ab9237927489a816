package io.wattproof.modbus.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PduCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // --- vectors from the Modbus Application Protocol V1.1b3 examples ---------------------------

    @Test
    void encodesTheSpecificationsFc03Example() {
        // Section 6.3 example: read holding registers 108..110 (address 0x006b, quantity 3).
        byte[] pdu = PduCodec.encode(new ReadHoldingRegistersRequest(0x006B, 3));
        assertArrayEquals(hex(""
                + "03"      // function code
                + "006b"    // starting address
                + "0003"),  // quantity of registers
                pdu);
    }

    @Test
    void decodesTheSpecificationsFc03ExampleResponse() {
        byte[] pdu = hex(""
                + "03"      // function code
                + "06"      // byte count = 2 x 3
                + "022b"    // register 108 = 555
                + "0000"    // register 109 = 0
                + "0064");  // register 110 = 100
        var result = PduCodec.decodeResponse(new ReadHoldingRegistersRequest(0x006B, 3), pdu);
        assertEquals(new DecodeResult.Decoded<>(new ReadHoldingRegistersResponse(new int[] {555, 0, 100})), result);
    }

    @Test
    void encodesTheSpecificationsFc04Example() {
        // Section 6.4 example: read input register 9 (address 0x0008), answered with 0x000a.
        assertArrayEquals(hex("04 0008 0001"), PduCodec.encode(new ReadInputRegistersRequest(8, 1)));
        assertArrayEquals(hex("04 02 000a"), PduCodec.encode(new ReadInputRegistersResponse(new int[] {10})));
    }

    @Test
    void decodesAnExceptionResponse() {
        // Section 7 example layout: function | 0x80, exception code.
        var result = PduCodec.decodeResponse(new ReadInputRegistersRequest(0x100, 2), hex("84 02"));
        var decoded = assertInstanceOf(DecodeResult.Decoded.class, result);
        var response = assertInstanceOf(ExceptionResponse.class, decoded.value());
        assertEquals(0x04, response.function());
        assertEquals(0x84, response.errorCode());
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, response.knownCode().orElseThrow());
        assertTrue(response.meaning().startsWith("illegal data address"), response.meaning());
    }

    @Test
    void keepsUnknownExceptionCodesWithTheirRawValue() {
        var result = PduCodec.decodeResponse(hex("83 7f"));
        var response = (ExceptionResponse) ((DecodeResult.Decoded<ModbusResponse>) result).value();
        assertEquals(0x7F, response.exceptionCode());
        assertTrue(response.knownCode().isEmpty());
        assertTrue(response.meaning().contains("unknown exception code 0x7f"), response.meaning());
    }

    // --- round trips ---------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"0,1", "0,125", "65535,1", "65411,125", "30000,60"})
    void roundTripsRequestsAtTheLimits(int address, int quantity) {
        for (ModbusRequest request : new ModbusRequest[] {
            new ReadHoldingRegistersRequest(address, quantity), new ReadInputRegistersRequest(address, quantity)
        }) {
            var result = PduCodec.decodeRequest(PduCodec.encode(request));
            assertEquals(new RequestDecodeResult.Decoded(request), result);
        }
    }

    @Test
    void roundTripsRandomRequestsAndResponses() {
        Random random = new Random(20261127L); // fixed seed: failures are reproducible
        for (int i = 0; i < 2000; i++) {
            int quantity = 1 + random.nextInt(125);
            int address = random.nextInt(0x10000 - quantity + 1);
            FunctionCode fc = random.nextBoolean() ? FunctionCode.READ_HOLDING_REGISTERS : FunctionCode.READ_INPUT_REGISTERS;
            ReadRegistersRequest request = ReadRegistersRequest.of(fc, address, quantity);
            assertEquals(new RequestDecodeResult.Decoded(request), PduCodec.decodeRequest(PduCodec.encode(request)));

            int[] registers = random.ints(quantity, 0, 0x10000).toArray();
            ReadRegistersResponse response = ReadRegistersResponse.of(fc, registers);
            byte[] pdu = PduCodec.encode(response);
            assertEquals(2 + 2 * quantity, pdu.length);
            assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(request, pdu));
            assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(pdu));
        }
    }

    @Test
    void roundTripsExceptionResponses() {
        for (int code = 0; code <= 0xFF; code++) {
            ExceptionResponse e = new ExceptionResponse(0x04, code);
            assertEquals(new DecodeResult.Decoded<>(e), PduCodec.decodeResponse(PduCodec.encode(e)));
        }
    }

    // --- responses that must not decode to a value ---------------------------------------------

    @Test
    void rejectsAByteCountThatDisagreesWithTheRequest() {
        // Asked for 2 registers, got 3 (byte count 6, length consistent with it).
        var result = PduCodec.decodeResponse(new ReadInputRegistersRequest(0, 2), hex("04 06 0001 0002 0003"));
        Violation v = invalid(result);
        assertEquals("byte count", v.field());
        assertEquals("4 (2 x quantity 2)", v.expected());
        assertEquals("6", v.actual());
        assertEquals("04 06 00 01 00 02 00 03", v.hex());
    }

    @Test
    void rejectsAByteCountThatDisagreesWithTheLength() {
        Violation v = invalid(PduCodec.decodeResponse(new ReadInputRegistersRequest(0, 2), hex("04 04 0001 0002 00")));
        assertEquals("pdu length", v.field());
        assertEquals("6 bytes (2 + byte count 4)", v.expected());
        assertEquals("7 bytes", v.actual());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 252, 254})
    void rejectsOddZeroOrOversizedByteCounts(int byteCount) {
        byte[] pdu = new byte[2 + byteCount];
        pdu[0] = 0x03;
        pdu[1] = (byte) byteCount;
        assertEquals("byte count", invalid(PduCodec.decodeResponse(pdu)).field());
    }

    @Test
    void rejectsEveryTruncationOfAResponse() {
        ReadInputRegistersRequest request = new ReadInputRegistersRequest(0, 4);
        byte[] full = PduCodec.encode(new ReadInputRegistersResponse(new int[] {0x4366, 0, 0x449A, 0x5000}));
        for (int length = 0; length < full.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(full, length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(request, truncated), "length " + length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(truncated), "length " + length);
        }
    }

    @Test
    void rejectsAResponseToAnotherFunction() {
        Violation v = invalid(PduCodec.decodeResponse(new ReadInputRegistersRequest(0, 1), hex("03 02 0001")));
        assertEquals("function code", v.field());
        assertEquals("0x04 or 0x84", v.expected());
        assertEquals("0x03", v.actual());
    }

    @Test
    void rejectsAnExceptionResponseWithExtraBytes() {
        Violation v = invalid(PduCodec.decodeResponse(new ReadInputRegistersRequest(0, 1), hex("84 02 00")));
        assertEquals("exception response length", v.field());
    }

    @Test
    void rejectsAnUnknownFunctionInAResponse() {
        assertEquals("function code", invalid(PduCodec.decodeResponse(hex("05 00 01 ff 00"))).field());
        assertEquals("function code", invalid(PduCodec.decodeResponse(hex("80 01"))).field());
    }

    // --- requests a server must refuse ---------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        // pdu,              exception code, field          (section 6.3/6.4 state diagrams)
        "'04 0000 0000',      3, quantity",
        "'04 0000 007e',      3, quantity",
        "'03 ffff ffff',      3, quantity",
        "'04 ffff 0002',      2, address + quantity",
        "'03 ff84 007d',      2, address + quantity",
        "'04 0000 00',        3, pdu length",
        "'04 0000 0001 00',   3, pdu length",
        "'04',                3, pdu length",
        "'01 0000 0001',      1, function code",
        "'17 0000 0001 0000 0001 02 0000', 1, function code"
    })
    void refusesRequestsWithTheSpecifiedExceptionCode(String pdu, int exceptionCode, String field) {
        byte[] bytes = hex(pdu);
        var refused = assertInstanceOf(RequestDecodeResult.Refused.class, PduCodec.decodeRequest(bytes));
        assertEquals(bytes[0] & 0xFF, refused.response().function());
        assertEquals(exceptionCode, refused.response().exceptionCode());
        assertEquals(field, refused.violation().field());
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(bytes), refused.violation().hex());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00 0000 0001", "84 02", "ff"})
    void cannotAnswerRequestsWithoutAUsableFunctionCode(String pdu) {
        assertInstanceOf(RequestDecodeResult.Malformed.class, PduCodec.decodeRequest(hex(pdu)));
    }

    // --- record invariants ---------------------------------------------------------------------

    @Test
    void requestRecordsRejectOutOfRangeValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersRequest(0, 126));
        assertEquals("quantity: expected 1..125, actual 126", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersRequest(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReadHoldingRegistersRequest(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReadHoldingRegistersRequest(0x10000, 1));
        var range = assertThrows(IllegalArgumentException.class, () -> new ReadHoldingRegistersRequest(65535, 2));
        assertEquals("address + quantity: expected <= 65536, actual 65535 + 2 = 65537", range.getMessage());
    }

    @Test
    void responseRecordsCopyAndCheckTheirRegisters() {
        int[] registers = {1, 2};
        var response = new ReadInputRegistersResponse(registers);
        registers[0] = 99;
        assertEquals(1, response.registers()[0]);
        response.registers()[1] = 99;
        assertEquals(2, response.registers()[1]);
        assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersResponse(new int[] {0x10000}));
        assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersResponse(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersResponse(new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new ReadInputRegistersResponse(new int[126]));
        assertEquals("ReadInputRegistersResponse[registers=[0x0001, 0x0002]]", response.toString());
    }

    @Test
    void exceptionResponseRejectsFunctionsThatCannotCarryTheErrorBit() {
        assertThrows(IllegalArgumentException.class, () -> new ExceptionResponse(0x80, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExceptionResponse(0, 1));
    }

    private static Violation invalid(DecodeResult<ModbusResponse> result) {
        return assertInstanceOf(DecodeResult.Invalid.class, result, () -> "expected invalid, got " + result).violation();
    }
}
