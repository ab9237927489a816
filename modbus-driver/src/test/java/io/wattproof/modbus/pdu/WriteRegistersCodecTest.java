package io.wattproof.modbus.pdu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FC 06 Write Single Register (section 6.6) and FC 16 Write Multiple Registers (section 6.12). */
class WriteRegistersCodecTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    // --- vectors after the examples of sections 6.6 and 6.12 ------------------------------------

    @Test
    void fc06ExampleOfSection66() {
        // Write register 2 (address 0x0001) with 0x0003; the response echoes the request.
        byte[] request = hex(""
                + "06"      // function code: write single register
                + "0001"    // register address
                + "0003");  // register value
        WriteSingleRegisterRequest write = new WriteSingleRegisterRequest(0x0001, 0x0003);
        assertArrayEquals(request, PduCodec.encode(write));
        assertEquals(new RequestDecodeResult.Decoded(write), PduCodec.decodeRequest(request));

        byte[] response = request.clone();
        assertArrayEquals(response, PduCodec.encode(new WriteSingleRegisterResponse(0x0001, 0x0003)));
        assertEquals(new DecodeResult.Decoded<>(new WriteSingleRegisterResponse(1, 3)),
                PduCodec.decodeResponse(write, response));
    }

    @Test
    void fc16ExampleOfSection612() {
        // Write two registers starting at register 2 (address 0x0001) with 0x000a and 0x0102.
        byte[] request = hex(""
                + "10"      // function code: write multiple registers
                + "0001"    // starting address
                + "0002"    // quantity of registers
                + "04"      // byte count = 2 x quantity
                + "000a"    // register 2 value
                + "0102");  // register 3 value
        WriteMultipleRegistersRequest write = new WriteMultipleRegistersRequest(0x0001, new int[] {0x000A, 0x0102});
        assertArrayEquals(request, PduCodec.encode(write));
        assertEquals(new RequestDecodeResult.Decoded(write), PduCodec.decodeRequest(request));

        byte[] response = hex(""
                + "10"      // function code
                + "0001"    // starting address
                + "0002");  // quantity of registers written
        assertArrayEquals(response, PduCodec.encode(new WriteMultipleRegistersResponse(1, 2)));
        assertEquals(new DecodeResult.Decoded<>(write.expectedResponse()), PduCodec.decodeResponse(write, response));
    }

    // --- round trips -------------------------------------------------------------------------

    @Test
    void roundTripsRandomWrites() {
        Random random = new Random(20261128L); // fixed seed: failures are reproducible
        for (int i = 0; i < 2000; i++) {
            WriteSingleRegisterRequest single = new WriteSingleRegisterRequest(random.nextInt(0x10000), random.nextInt(0x10000));
            assertEquals(new RequestDecodeResult.Decoded(single), PduCodec.decodeRequest(PduCodec.encode(single)));
            assertEquals(new DecodeResult.Decoded<>(single.echo()),
                    PduCodec.decodeResponse(single, PduCodec.encode(single.echo())));
            assertEquals(new DecodeResult.Decoded<>(single.echo()), PduCodec.decodeResponse(PduCodec.encode(single.echo())));

            int quantity = 1 + random.nextInt(WriteMultipleRegistersRequest.MAX_QUANTITY);
            int address = random.nextInt(0x10000 - quantity + 1);
            WriteMultipleRegistersRequest multiple =
                    new WriteMultipleRegistersRequest(address, random.ints(quantity, 0, 0x10000).toArray());
            byte[] pdu = PduCodec.encode(multiple);
            assertEquals(6 + 2 * quantity, pdu.length);
            assertEquals(new RequestDecodeResult.Decoded(multiple), PduCodec.decodeRequest(pdu));
            WriteMultipleRegistersResponse response = multiple.expectedResponse();
            assertEquals(new DecodeResult.Decoded<>(response), PduCodec.decodeResponse(multiple, PduCodec.encode(response)));
        }
    }

    @ParameterizedTest
    @CsvSource({"0,1", "0,123", "65535,1", "65413,123"})
    void roundTripsWritesAtTheLimits(int address, int quantity) {
        int[] values = new int[quantity];
        Arrays.fill(values, 0xFFFF);
        WriteMultipleRegistersRequest write = new WriteMultipleRegistersRequest(address, values);
        byte[] pdu = PduCodec.encode(write);
        assertEquals(6 + 2 * quantity, pdu.length, "123 registers take 252 of the 253 PDU bytes");
        assertEquals(new RequestDecodeResult.Decoded(write), PduCodec.decodeRequest(pdu));
    }

    // --- truncations and lengths ---------------------------------------------------------------

    @Test
    void everyTruncationOfAWriteResponseIsInvalid() {
        WriteSingleRegisterRequest single = new WriteSingleRegisterRequest(0x1234, 0xABCD);
        WriteMultipleRegistersRequest multiple = new WriteMultipleRegistersRequest(0x0100, new int[] {1, 2, 3});
        byte[] singleResponse = PduCodec.encode(single.echo());
        byte[] multipleResponse = PduCodec.encode(multiple.expectedResponse());
        for (int length = 0; length < 5; length++) {
            byte[] a = Arrays.copyOf(singleResponse, length);
            byte[] b = Arrays.copyOf(multipleResponse, length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(single, a), "length " + length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(a), "length " + length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(multiple, b), "length " + length);
            assertInstanceOf(DecodeResult.Invalid.class, PduCodec.decodeResponse(b), "length " + length);
        }
    }

    @Test
    void everyTruncationOfAWriteRequestIsRefusedWithIllegalDataValue() {
        byte[] single = PduCodec.encode(new WriteSingleRegisterRequest(7, 8));
        byte[] multiple = PduCodec.encode(new WriteMultipleRegistersRequest(7, new int[] {1, 2, 3}));
        for (byte[] full : new byte[][] {single, multiple}) {
            for (int length = 1; length < full.length; length++) {
                var refused = assertInstanceOf(RequestDecodeResult.Refused.class,
                        PduCodec.decodeRequest(Arrays.copyOf(full, length)), "length " + length);
                assertEquals(ExceptionCode.ILLEGAL_DATA_VALUE, refused.response().knownCode().orElseThrow());
            }
        }
    }

    @Test
    void rejectsAWriteResponseWithExtraBytes() {
        Violation v = invalid(PduCodec.decodeResponse(new WriteSingleRegisterRequest(1, 3), hex("06 0001 0003 00")));
        assertEquals("pdu length", v.field());
        assertEquals("5 bytes", v.expected());
        assertEquals("6 bytes", v.actual());
        assertEquals("06 00 01 00 03 00", v.hex());
    }

    // --- echoes that do not answer the request ---------------------------------------------------

    @Test
    void fc06EchoWithAnotherValueIsAViolation() {
        // A device that clamps or ignores the value says so in the echo: the write did not happen as asked.
        Violation v = invalid(PduCodec.decodeResponse(new WriteSingleRegisterRequest(1, 3), hex("06 0001 0004")));
        assertEquals("value", v.field());
        assertEquals("0x0003 (echo of the request)", v.expected());
        assertEquals("0x0004", v.actual());
        assertEquals("06 00 01 00 04", v.hex());
    }

    @Test
    void fc06EchoWithAnotherAddressIsAViolation() {
        Violation v = invalid(PduCodec.decodeResponse(new WriteSingleRegisterRequest(1, 3), hex("06 0002 0003")));
        assertEquals("address", v.field());
        assertEquals("0x0002", v.actual());
    }

    @Test
    void fc16ResponseWithAnotherAddressOrQuantityIsAViolation() {
        WriteMultipleRegistersRequest write = new WriteMultipleRegistersRequest(1, new int[] {10, 258});
        Violation address = invalid(PduCodec.decodeResponse(write, hex("10 0000 0002")));
        assertEquals("address", address.field());
        assertEquals("0x0001 (echo of the request)", address.expected());
        Violation quantity = invalid(PduCodec.decodeResponse(write, hex("10 0001 0001")));
        assertEquals("quantity", quantity.field());
        assertEquals("2 (echo of the request)", quantity.expected());
        assertEquals("1", quantity.actual());
    }

    @Test
    void fc16ResponseOutOfRangeIsInvalidEvenWithoutTheRequest() {
        assertEquals("quantity", invalid(PduCodec.decodeResponse(hex("10 0001 0000"))).field());
        assertEquals("quantity", invalid(PduCodec.decodeResponse(hex("10 0001 007c"))).field());
        assertEquals("address + quantity", invalid(PduCodec.decodeResponse(hex("10 ffff 0002"))).field());
    }

    @Test
    void aWriteAnsweredWithAnotherFunctionIsAViolation() {
        Violation v = invalid(PduCodec.decodeResponse(new WriteSingleRegisterRequest(1, 3), hex("10 0001 0001")));
        assertEquals("function code", v.field());
        assertEquals("0x06 or 0x86", v.expected());
    }

    @Test
    void exceptionResponsesToWritesDecode() {
        var decoded = PduCodec.decodeResponse(new WriteMultipleRegistersRequest(1, new int[] {1}), hex("90 02"));
        assertEquals(new DecodeResult.Decoded<>(new ExceptionResponse(0x10, ExceptionCode.ILLEGAL_DATA_ADDRESS)), decoded);
        assertEquals(new DecodeResult.Decoded<>(new ExceptionResponse(0x06, 0x04)),
                PduCodec.decodeResponse(new WriteSingleRegisterRequest(1, 1), hex("86 04")));
    }

    // --- requests a server must refuse (state diagrams of 6.6 and 6.12) -----------------------------

    @ParameterizedTest
    @CsvSource({
        // pdu,                            exception code, field
        "'06 0001 00',                     3, pdu length",
        "'06 0001 0003 00',                3, pdu length",
        "'10 0000 0000 00',                3, quantity",
        "'10 0000 007c f8',                3, quantity",
        "'10 0000 0002 03 0001 0002',      3, byte count",
        "'10 0000 0002 06 0001 0002 0003', 3, byte count",
        "'10 0000 0002 04 0001 00',        3, pdu length",
        "'10 0000 0002 04 0001 0002 00',   3, pdu length",
        "'10 0000 00',                     3, pdu length",
        "'10 ffff 0002 04 0001 0002',      2, address + quantity",
    })
    void refusesWritesWithTheSpecifiedExceptionCode(String pdu, int exceptionCode, String field) {
        byte[] bytes = hex(pdu);
        var refused = assertInstanceOf(RequestDecodeResult.Refused.class, PduCodec.decodeRequest(bytes));
        assertEquals(bytes[0] & 0xFF, refused.response().function());
        assertEquals(exceptionCode, refused.response().exceptionCode());
        assertEquals(field, refused.violation().field());
        assertEquals(HexFormat.ofDelimiter(" ").formatHex(bytes), refused.violation().hex());
    }

    @Test
    void refusesTheLargestWritePastTheEndOfTheTable() {
        // 123 registers from 0xff86 (65414) would end at 65537: 0x02. Values are all zero.
        byte[] pdu = Arrays.copyOf(hex("10 ff86 007b f6"), 6 + 2 * 123);
        var refused = assertInstanceOf(RequestDecodeResult.Refused.class, PduCodec.decodeRequest(pdu));
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, refused.response().knownCode().orElseThrow());
        assertEquals("65414 + 123 = 65537", refused.violation().actual());
        // One register further down fits exactly.
        pdu[2] = (byte) 0x85;
        assertInstanceOf(RequestDecodeResult.Decoded.class, PduCodec.decodeRequest(pdu));
    }

    @Test
    void quantityIsCheckedBeforeTheAddressRange() {
        // Section 6.12: the quantity/byte count test comes first, so 0x03 wins over 0x02.
        var refused = (RequestDecodeResult.Refused) PduCodec.decodeRequest(hex("10 ffff 0000 00"));
        assertEquals(ExceptionCode.ILLEGAL_DATA_VALUE, refused.response().knownCode().orElseThrow());
    }

    // --- record invariants ---------------------------------------------------------------------

    @Test
    void writeRecordsRejectOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> new WriteSingleRegisterRequest(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new WriteSingleRegisterRequest(0x10000, 0));
        var value = assertThrows(IllegalArgumentException.class, () -> new WriteSingleRegisterRequest(0, 0x10000));
        assertEquals("value: expected 0..65535, actual 65536", value.getMessage());
        var tooMany = assertThrows(IllegalArgumentException.class,
                () -> new WriteMultipleRegistersRequest(0, new int[124]));
        assertEquals("values length: expected 1..123, actual 124", tooMany.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WriteMultipleRegistersRequest(0, new int[0]));
        assertThrows(NullPointerException.class, () -> new WriteMultipleRegistersRequest(0, null));
        var element = assertThrows(IllegalArgumentException.class,
                () -> new WriteMultipleRegistersRequest(0, new int[] {1, -1}));
        assertEquals("values[1]: expected 0..65535, actual -1", element.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> new WriteMultipleRegistersRequest(65535, new int[] {1, 2}));
        assertEquals("address + quantity: expected <= 65536, actual 65535 + 2 = 65537", range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new WriteMultipleRegistersResponse(0, 124));
    }

    @Test
    void writeMultipleRequestCopiesItsValues() {
        int[] values = {1, 2};
        WriteMultipleRegistersRequest write = new WriteMultipleRegistersRequest(5, values);
        values[0] = 99;
        assertEquals(1, write.values()[0]);
        write.values()[1] = 99;
        assertEquals(2, write.values()[1]);
        assertEquals(new WriteMultipleRegistersRequest(5, new int[] {1, 2}), write);
        assertEquals(new WriteMultipleRegistersRequest(5, new int[] {1, 2}).hashCode(), write.hashCode());
        assertNotEquals(new WriteMultipleRegistersRequest(5, new int[] {1, 3}), write);
        assertEquals("WriteMultipleRegistersRequest[address=0x0005, values=[0x0001, 0x0002]]", write.toString());
    }

    private static Violation invalid(DecodeResult<ModbusResponse> result) {
        return assertInstanceOf(DecodeResult.Invalid.class, result, () -> "expected invalid, got " + result).violation();
    }
}
