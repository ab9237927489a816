package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.pdu.ConformityLevel;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.IdentificationObject;
import io.wattproof.modbus.pdu.ModbusResponse;
import io.wattproof.modbus.pdu.ReadDeviceIdCode;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationRequest;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationResponse;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.RecordingMaster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FC 06, FC 16 and FC 43/14 of {@link ModbusTcpMaster} against pymodbus 3.0.0 (Debian's
 * python3-pymodbus), an independent implementation: writes are read back with FC 03, and the
 * identification pymodbus is started with comes back through stream access. pymodbus
 * ({@link PymodbusServer}) holds {@value #REGISTERS} holding registers, all zero at start.
 *
 * <p>The identity is long enough (about 300 bytes of text) that pymodbus has to split it over
 * two responses with "more follows", so the stream is followed across requests.
 */
@Timeout(60)
class PymodbusWriteAndIdentifyIT {
    private static final int UNIT = 23;
    private static final int REGISTERS = 400;

    /** pymodbus' names for objects 0x00..0x06, in id order. */
    private static final Map<String, String> IDENTITY = new LinkedHashMap<>();

    static {
        IDENTITY.put("VendorName", "Wattproof Test Vendor");
        IDENTITY.put("ProductCode", "WP-IT-16");
        IDENTITY.put("MajorMinorRevision", "3.0.0-it");
        IDENTITY.put("VendorUrl", "https://wattproof.invalid/devices/" + "u".repeat(70));
        IDENTITY.put("ProductName", "Wattproof integration test meter " + "p".repeat(70));
        IDENTITY.put("ModelName", "WP-IT-16 Model A");
        IDENTITY.put("UserApplicationName", "PymodbusWriteAndIdentifyIT");
    }

    @AutoClose
    private static PymodbusServer server;

    @AutoClose
    private ModbusTcpMaster master;

    @BeforeAll
    static void startPymodbus() throws Exception {
        server = PymodbusServer.start(PymodbusServer.Config.mbap()
                .unit(UNIT)
                .holding(0, new int[REGISTERS])
                .identity(IDENTITY)
                .build());
    }

    @BeforeEach
    void connect() {
        master = server.tcpMaster(Duration.ofMillis(1000));
    }

    @Test
    void writeSingleRegisterThenReadBack() throws Exception {
        master.writeSingleRegister(UNIT, 1, 3);
        master.writeSingleRegister(UNIT, 2, 0xFFFF);
        assertArrayEquals(new int[] {0, 3, 0xFFFF, 0}, master.readHoldingRegisters(UNIT, 0, 4));
    }

    @Test
    void writeMultipleRegistersThenReadBack() throws Exception {
        master.writeMultipleRegisters(UNIT, 10, new int[] {0x000A, 0x0102});
        assertArrayEquals(new int[] {0x000A, 0x0102}, master.readHoldingRegisters(UNIT, 10, 2));

        int[] values = new Random(16).ints(123, 0, 0x10000).toArray(); // the most one request carries
        master.writeMultipleRegisters(UNIT, 200, values);
        assertArrayEquals(values, master.readHoldingRegisters(UNIT, 200, 123));
        assertArrayEquals(new int[] {0, 0}, new int[] {
            master.readHoldingRegisters(UNIT, 199, 1)[0], master.readHoldingRegisters(UNIT, 323, 1)[0]},
                "neighbours untouched");
    }

    @Test
    void writesPastTheRegistersAreRefusedWithIllegalDataAddress() throws Exception {
        var single = assertThrows(ModbusExceptionResponse.class, () -> master.writeSingleRegister(UNIT, REGISTERS, 1));
        assertEquals(0x06, single.function());
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, single.knownCode().orElseThrow());
        var multiple = assertThrows(ModbusExceptionResponse.class,
                () -> master.writeMultipleRegisters(UNIT, REGISTERS - 1, new int[] {1, 2}));
        assertEquals(0x10, multiple.function());
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, multiple.knownCode().orElseThrow());
        assertTrue(master.isConnected(), "an exception response keeps the connection");
    }

    @Test
    void readsTheIdentityOverSeveralResponses() throws Exception {
        RecordingMaster recording = new RecordingMaster(master);
        DeviceIdentification id = recording.readDeviceIdentification(UNIT);

        Map<Integer, String> expected = new LinkedHashMap<>();
        int objectId = 0;
        for (String value : IDENTITY.values()) {
            expected.put(objectId++, value);
        }
        assertEquals(expected, id.objects());
        assertEquals("Wattproof Test Vendor", id.vendorName().orElseThrow());
        assertEquals("WP-IT-16", id.productCode().orElseThrow());
        assertEquals("3.0.0-it", id.revision().orElseThrow());
        assertEquals("WP-IT-16 Model A", id.modelName().orElseThrow());
        // pymodbus 3.0 always states conformity level 0x83 (extended, stream and individual access).
        assertEquals(ConformityLevel.EXTENDED, id.conformityLevel());
        assertTrue(recording.requests().size() >= 2, "the identity does not fit one response: " + recording.requests());
        assertEquals(new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, 0), recording.requests().getFirst());
    }

    @Test
    void readsTheBasicIdentity() throws Exception {
        DeviceIdentification id = master.readDeviceIdentification(UNIT, ReadDeviceIdCode.BASIC);
        assertEquals(Map.of(0, "Wattproof Test Vendor", 1, "WP-IT-16", 2, "3.0.0-it"), id.objects());
    }

    @Test
    void readsOneObjectByIndividualAccess() throws Exception {
        ModbusResponse response = master.execute(UNIT, new ReadDeviceIdentificationRequest(ReadDeviceIdCode.SPECIFIC, 0x05));
        var r = assertInstanceOf(ReadDeviceIdentificationResponse.class, response);
        assertEquals(List.of(new IdentificationObject(0x05, "WP-IT-16 Model A".getBytes(StandardCharsets.US_ASCII))),
                r.objects());
    }
}
