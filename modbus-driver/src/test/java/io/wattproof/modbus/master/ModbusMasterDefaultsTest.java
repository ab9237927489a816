package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusException;
import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.frame.tcp.MbapFrame;
import io.wattproof.modbus.pdu.ConformityLevel;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ExceptionResponse;
import io.wattproof.modbus.pdu.IdentificationObject;
import io.wattproof.modbus.pdu.ModbusRequest;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadDeviceIdCode;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationRequest;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationResponse;
import io.wattproof.modbus.pdu.WriteSingleRegisterResponse;
import io.wattproof.modbus.testing.ScriptedServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The default methods of {@link ModbusMaster} for FC 06, 16 and 43/14, over a scripted in-process device. */
@Timeout(20)
class ModbusMasterDefaultsTest {
    private static final DeviceIdentification BASIC_IDENTITY = new DeviceIdentification(
            ConformityLevel.BASIC, Map.of(0, "Eastron", 1, "SDM630", 2, "V2.0"));

    /** A master whose device is a function; exception responses are thrown as a real master does. */
    private static final class FakeMaster implements ModbusMaster {
        private final Function<ModbusRequest, ModbusResponse> device;
        final List<ModbusRequest> requests = new ArrayList<>();

        FakeMaster(Function<ModbusRequest, ModbusResponse> device) {
            this.device = device;
        }

        @Override
        public ModbusResponse execute(int unitId, ModbusRequest request) throws ModbusException {
            requests.add(request);
            ModbusResponse response = device.apply(request);
            if (response instanceof ExceptionResponse e) {
                throw new ModbusExceptionResponse(e);
            }
            return response;
        }

        @Override
        public void close() {}
    }

    @Test
    void fallsBackToBasicWhenRegularIsRefusedWithIllegalDataValue() throws Exception {
        FakeMaster master = new FakeMaster(request -> {
            var r = (ReadDeviceIdentificationRequest) request;
            return r.readCode() == ReadDeviceIdCode.REGULAR
                    ? new ExceptionResponse(0x2B, ExceptionCode.ILLEGAL_DATA_VALUE)
                    : BASIC_IDENTITY.answer(r);
        });
        assertEquals(BASIC_IDENTITY, master.readDeviceIdentification(1));
        assertEquals(List.of(new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, 0),
                new ReadDeviceIdentificationRequest(ReadDeviceIdCode.BASIC, 0)), master.requests);
    }

    @Test
    void otherRefusalsPropagate() {
        FakeMaster master = new FakeMaster(request -> new ExceptionResponse(0x2B, ExceptionCode.ILLEGAL_FUNCTION));
        var e = assertThrows(ModbusExceptionResponse.class, () -> master.readDeviceIdentification(1));
        assertEquals(ExceptionCode.ILLEGAL_FUNCTION, e.knownCode().orElseThrow());
        assertEquals(1, master.requests.size(), "no fallback for 0x01");
    }

    @Test
    void aStreamThatBreaksSection621IsAProtocolException() {
        // The device sends VendorName again when asked for the next object it announced.
        FakeMaster master = new FakeMaster(request -> new ReadDeviceIdentificationResponse(ReadDeviceIdCode.REGULAR,
                ConformityLevel.REGULAR, true, 1, List.of(new IdentificationObject(0, new byte[] {0x41}))));
        var e = assertThrows(ModbusProtocolException.class, () -> master.readDeviceIdentification(1));
        assertEquals("object id", e.field());
        assertEquals(2, master.requests.size());
    }

    @Test
    void anUnexpectedResponseTypeIsAProtocolException() {
        FakeMaster master = new FakeMaster(request -> new WriteSingleRegisterResponse(0, 0));
        var e = assertThrows(ModbusProtocolException.class, () -> master.writeMultipleRegisters(1, 0, new int[] {1}));
        assertEquals("response type", e.field());
        assertEquals("WriteMultipleRegistersResponse", e.expected());
    }

    @Test
    void aWrongEchoOverTcpIsAProtocolExceptionAndDropsTheConnection() throws Exception {
        // The device echoes FC 06 with value 0x0004 where 0x0003 was written.
        try (ScriptedServer device = new ScriptedServer(request -> new MbapFrame(request.transactionId(),
                        request.unitId(), HexFormat.of().parseHex("0600010004")).encode());
                ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                        .port(device.port()).responseTimeout(Duration.ofMillis(500)).build())) {
            var e = assertThrows(ModbusProtocolException.class, () -> master.writeSingleRegister(1, 1, 3));
            assertEquals("value", e.field());
            assertEquals("0x0003 (echo of the request)", e.expected());
            assertEquals("0x0004", e.actual());
            assertEquals("06 00 01 00 04", e.hex());
            assertFalse(master.isConnected());
            assertTrue(device.requests().size() == 1);
        }
    }
}
