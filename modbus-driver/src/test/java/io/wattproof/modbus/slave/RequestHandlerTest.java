package io.wattproof.modbus.slave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ConformityLevel;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.testing.MemoryRegisterBank;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request PDU in, response PDU out: what any slave built on the responder answers. */
class RequestHandlerTest {
    private static final DeviceIdentification IDENTITY = new DeviceIdentification(ConformityLevel.REGULAR, Map.of(
            0x00, "Wattproof", 0x01, "WP-SIM", 0x02, "1.0", 0x05, "Virtual meter"));

    /** A read-only bank, as the simulator's meters are: only {@code read} implemented. */
    private static final RegisterBank READ_ONLY = (function, address, quantity) -> new int[quantity];

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String respond(RegisterBank bank, String request) {
        return RequestHandler.answer(bank, hex(request))
                .map(response -> HexFormat.of().formatHex(PduCodec.encode(response)))
                .orElse("none");
    }

    @Test
    void writesAndReadsBack() {
        MemoryRegisterBank bank = new MemoryRegisterBank(16, null);
        // FC 06 echoes; FC 16 answers address and quantity.
        assertEquals("0600010003", respond(bank, "06 0001 0003"));
        assertEquals("1000020002", respond(bank, "10 0002 0002 04 000a 0102"));
        assertEquals("0306" + "0003000a0102", respond(bank, "03 0001 0003"));
    }

    @Test
    void aReadOnlyBankRefusesWritesAndIdentificationWithIllegalFunction() {
        assertEquals("8601", respond(READ_ONLY, "06 0001 0003"));
        assertEquals("9001", respond(READ_ONLY, "10 0001 0001 02 0003"));
        assertEquals("ab01", respond(READ_ONLY, "2b 0e 01 00"));
        assertEquals("0302" + "0000", respond(READ_ONLY, "03 0000 0001"), "reads still work");
    }

    @Test
    void theBanksExceptionCodeGoesOutUnderTheRequestsFunction() {
        // MemoryRegisterBank throws with FC 16's code; an FC 06 request is still answered as 0x86.
        MemoryRegisterBank bank = new MemoryRegisterBank(4, null);
        assertEquals("8602", respond(bank, "06 0004 0001"));
        assertEquals("9002", respond(bank, "10 0003 0002 04 0001 0002"));
        assertEquals(0, bank.register(3), "a refused write changes nothing");
    }

    @Test
    void aFailingBankIsAServerDeviceFailure() {
        RegisterBank failing = new RegisterBank() {
            @Override
            public int[] read(FunctionCode function, int address, int quantity) {
                return new int[quantity];
            }

            @Override
            public void write(int address, int[] values) {
                throw new IllegalStateException("simulated fault");
            }

            @Override
            public Optional<DeviceIdentification> identification() {
                throw new IllegalStateException("simulated fault");
            }
        };
        assertEquals("8604", respond(failing, "06 0000 0001"));
        assertEquals("9004", respond(failing, "10 0000 0001 02 0001"));
        assertEquals("ab04", respond(failing, "2b 0e 01 00"));
    }

    @ParameterizedTest
    @CsvSource({
        // request,                         response   (section 6.12 and 6.21 state diagrams)
        "'10 0000 0002 03 0001 0002',       9003",  // byte count != 2 x quantity
        "'10 0000 007c f8',                 9003",  // quantity 124
        "'10 fffe 0003 06 0001 0002 0003',  9002",  // address + quantity past 65535
        "'06 0001',                         8603",  // implicit length incorrect
        "'2b 0e 04 07',                     ab02",  // individual access to an object the device lacks
        "'2b 0e 00 00',                     ab03",  // read device id code 00
        "'2b 0e 05 00',                     ab03",  // read device id code 05
        "'2b 0d 01 00',                     ab01",  // MEI type 0x0d (CANopen) not implemented
        "'2b 0e 01',                        ab03",  // implicit length incorrect
        "'00 0000 0001',                    none",  // no usable function code: no answer
    })
    void refusesWithTheSpecifiedCodes(String request, String response) {
        assertEquals(response.replace(" ", ""), respond(new MemoryRegisterBank(16, IDENTITY), request));
    }

    @Test
    void servesTheIdentification() {
        String vendor = HexFormat.of().formatHex("Wattproof".getBytes(StandardCharsets.US_ASCII));
        assertEquals("2b0e0482000001" + "0009" + vendor, respond(new MemoryRegisterBank(1, IDENTITY), "2b 0e 04 00"));
        String regular = respond(new MemoryRegisterBank(1, IDENTITY), "2b 0e 02 00");
        assertTrue(regular.startsWith("2b0e0282000004"), regular); // regular, 4 objects, nothing follows
    }

    @Test
    void bankExceptionsFromReadsKeepTheirCode() {
        RegisterBank busy = (function, address, quantity) -> {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.SERVER_DEVICE_BUSY);
        };
        assertEquals("8406", respond(busy, "04 0000 0001"));
    }
}
