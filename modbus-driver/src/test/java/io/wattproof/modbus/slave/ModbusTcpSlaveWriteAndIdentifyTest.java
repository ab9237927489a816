package io.wattproof.modbus.slave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.modbus.pdu.ConformityLevel;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ReadDeviceIdCode;
import io.wattproof.modbus.testing.MemoryRegisterBank;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** FC 06, FC 16 and FC 43/14 between our TCP master and our TCP slave. */
@Timeout(20)
class ModbusTcpSlaveWriteAndIdentifyTest {
    private static final int UNIT = 9;
    private static final DeviceIdentification IDENTITY = new DeviceIdentification(ConformityLevel.REGULAR, Map.of(
            0x00, "Wattproof", 0x01, "WP-SIM-3", 0x02, "1.4", 0x03, "https://wattproof.example",
            0x04, "Virtual meter", 0x05, "WP-SIM-3 three-phase", 0x06, "loopback test"));

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private ModbusTcpMaster masterFor(RegisterBank bank) throws IOException {
        ModbusTcpSlave slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(), bank);
        toClose.add(slave);
        ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                .port(slave.port())
                .responseTimeout(Duration.ofMillis(500))
                .build());
        toClose.add(master);
        return master;
    }

    @Test
    void writesSingleAndMultipleRegistersAndReadsThemBack() throws Exception {
        MemoryRegisterBank bank = new MemoryRegisterBank(300, null);
        ModbusTcpMaster master = masterFor(bank);
        master.writeSingleRegister(UNIT, 0x0001, 0x0003);
        master.writeMultipleRegisters(UNIT, 0x0002, new int[] {0x000A, 0x0102});
        assertArrayEquals(new int[] {0, 3, 0x000A, 0x0102, 0}, master.readHoldingRegisters(UNIT, 0, 5));

        int[] many = IntStream.range(0, 123).map(i -> 0xFFFF - i).toArray();
        master.writeMultipleRegisters(UNIT, 100, many);
        assertArrayEquals(many, master.readHoldingRegisters(UNIT, 100, 123));
        master.writeSingleRegister(UNIT, 299, 0xFFFF);
        assertEquals(0xFFFF, bank.register(299));
    }

    @Test
    void aRefusedWriteIsAnExceptionResponseAndKeepsTheConnection() throws Exception {
        ModbusTcpMaster master = masterFor(new MemoryRegisterBank(10, null));
        var e = assertThrows(ModbusExceptionResponse.class, () -> master.writeMultipleRegisters(UNIT, 9, new int[] {1, 2}));
        assertEquals(0x10, e.function());
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.knownCode().orElseThrow());
        assertTrue(master.isConnected());
        master.writeSingleRegister(UNIT, 9, 7);
        assertArrayEquals(new int[] {7}, master.readHoldingRegisters(UNIT, 9, 1));
    }

    @Test
    void aReadOnlyBankAnswersWritesAndIdentificationWithIllegalFunction() throws Exception {
        ModbusTcpMaster master = masterFor((function, address, quantity) -> new int[quantity]);
        var single = assertThrows(ModbusExceptionResponse.class, () -> master.writeSingleRegister(UNIT, 0, 1));
        assertEquals(0x06, single.function());
        assertEquals(ExceptionCode.ILLEGAL_FUNCTION, single.knownCode().orElseThrow());
        var identify = assertThrows(ModbusExceptionResponse.class, () -> master.readDeviceIdentification(UNIT));
        assertEquals(0x2B, identify.function());
        assertEquals(ExceptionCode.ILLEGAL_FUNCTION, identify.knownCode().orElseThrow());
    }

    @Test
    void readsTheIdentification() throws Exception {
        ModbusTcpMaster master = masterFor(new MemoryRegisterBank(1, IDENTITY));
        DeviceIdentification read = master.readDeviceIdentification(UNIT);
        assertEquals(IDENTITY, read);
        assertEquals(Optional.of("Wattproof"), read.vendorName());
        assertEquals(Optional.of("WP-SIM-3"), read.productCode());
        assertEquals(Optional.of("1.4"), read.revision());
        assertEquals(Optional.of("WP-SIM-3 three-phase"), read.modelName());

        DeviceIdentification basic = master.readDeviceIdentification(UNIT, ReadDeviceIdCode.BASIC);
        assertEquals(Map.of(0, "Wattproof", 1, "WP-SIM-3", 2, "1.4"), basic.objects());
    }

    @Test
    void readsAnIdentificationThatTakesSeveralResponses() throws Exception {
        Map<Integer, String> objects = new TreeMap<>();
        for (int id = 0; id <= 6; id++) {
            objects.put(id, ("object " + id + " ").repeat(20)); // 180 characters: one object per response
        }
        DeviceIdentification big = new DeviceIdentification(ConformityLevel.REGULAR_STREAM_ONLY, objects);
        assertEquals(big, masterFor(new MemoryRegisterBank(1, big)).readDeviceIdentification(UNIT));
    }

    @Test
    void answersIdentificationRequestsOnTheWire() throws Exception {
        ModbusTcpSlave slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(),
                new MemoryRegisterBank(1, IDENTITY));
        toClose.add(slave);
        Socket s = new Socket(InetAddress.getLoopbackAddress(), slave.port());
        s.setSoTimeout(2000);
        toClose.add(s);
        // Individual access to object 0x02: transaction 0x0007, length 5, unit 9, 2b 0e 04 02.
        s.getOutputStream().write(hex("0007 0000 0005 09 2b0e0402"));
        // Answer: MBAP length 13 = unit id + 12 PDU bytes (7 header bytes, object id, length, "1.4").
        assertArrayEquals(hex("0007 0000 000d 09" + "2b 0e 04 82 00 00 01" + "02 03" + "312e34"),
                s.getInputStream().readNBytes(6 + 13));
        // Individual access to an object the device lacks (0x7f): exception 0x02.
        s.getOutputStream().write(hex("0008 0000 0005 09 2b0e047f"));
        assertArrayEquals(hex("0008 0000 0003 09 ab 02"), s.getInputStream().readNBytes(9));
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
