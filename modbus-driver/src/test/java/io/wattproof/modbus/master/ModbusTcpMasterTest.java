package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusIoException;
import io.wattproof.modbus.ModbusProtocolException;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.tcp.MbapFrame;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.MeterRegisterImage;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.Hex;
import io.wattproof.modbus.pdu.PduCodec;
import io.wattproof.modbus.pdu.ReadInputRegistersResponse;
import io.wattproof.modbus.slave.ModbusTcpSlave;
import io.wattproof.modbus.slave.ModbusTcpSlaveConfig;
import io.wattproof.modbus.testing.ScriptedServer;
import io.wattproof.modbus.testing.Sdm630Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ModbusTcpMasterTest {
    private static final int UNIT = 7;
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMillis(300);
    private static final MeterReading VALUES = Sdm630Fixture.expected();

    private final MeterRegisterImage image = Sdm630Fixture.image();
    private ModbusTcpSlave slave;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startSlave() throws Exception {
        slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(UNIT).build(), image);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        slave.close();
    }

    private ModbusTcpMaster master(int port) {
        ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                .port(port)
                .connectTimeout(Duration.ofMillis(500))
                .responseTimeout(RESPONSE_TIMEOUT)
                .build());
        toClose.add(master);
        return master;
    }

    private ScriptedServer scripted(Function<MbapFrame, byte[]> script) throws Exception {
        ScriptedServer server = new ScriptedServer(script);
        toClose.add(server);
        return server;
    }

    /** A correct answer to an FC 04 request for {@code quantity} registers, all 0x0001. */
    private static byte[] validAnswer(MbapFrame request) {
        int quantity = ((request.pdu()[3] & 0xFF) << 8) | (request.pdu()[4] & 0xFF);
        int[] registers = new int[quantity];
        java.util.Arrays.fill(registers, 1);
        return new MbapFrame(request.transactionId(), request.unitId(),
                PduCodec.encode(new ReadInputRegistersResponse(registers))).encode();
    }

    @Test
    void readsAnSdm630ImageExactlyOverLoopback() throws Exception {
        assertEquals(VALUES, Sdm630Fixture.read(master(slave.port()), UNIT));
    }

    @Test
    void readsRawRegisters() throws Exception {
        ModbusTcpMaster master = master(slave.port());
        assertArrayEquals(new int[] {0x4366, 0x8000}, master.readInputRegisters(UNIT, 0x0000, 2)); // 230.5f
        assertArrayEquals(new int[] {0, 0}, master.readInputRegisters(UNIT, 0x0012, 2)); // not set: reads as 0
    }

    @Test
    void surfacesAnExceptionResponseAndKeepsTheConnection() throws Exception {
        ModbusTcpMaster master = master(slave.port());
        var e = assertThrows(ModbusExceptionResponse.class, () -> master.readInputRegisters(UNIT, 0x0100, 2));
        assertEquals(0x04, e.function());
        assertEquals(2, e.exceptionCode());
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.knownCode().orElseThrow());
        assertTrue(e.getMessage().startsWith("exception response to function 0x04: exception code 0x02, illegal data address"),
                e.getMessage());
        assertTrue(master.isConnected(), "an exception response is a valid answer");
        assertEquals(VALUES, Sdm630Fixture.read(master, UNIT));
    }

    @Test
    void timesOutWhenTheServerNeverAnswers() throws Exception {
        ScriptedServer silent = scripted(request -> null);
        ModbusTcpMaster master = master(silent.port());
        long start = System.nanoTime();
        var e = assertThrows(ModbusTimeoutException.class, () -> master.readInputRegisters(UNIT, 0, 2));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMillis >= RESPONSE_TIMEOUT.toMillis() - 20 && elapsedMillis < 3000, "took " + elapsedMillis);
        assertEquals(RESPONSE_TIMEOUT, e.timeout());
        assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
        assertFalse(master.isConnected(), "a late answer must not be paired with the next request");
    }

    @Test
    void timesOutWhenTheAnswerStopsHalfway() throws Exception {
        ScriptedServer server = scripted(request -> java.util.Arrays.copyOf(validAnswer(request), 9));
        var e = assertThrows(ModbusTimeoutException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals(RESPONSE_TIMEOUT, e.timeout());
    }

    @Test
    void reconnectsAfterTheSlaveRestartsOnTheSamePort() throws Exception {
        ModbusTcpMaster master = master(slave.port());
        assertEquals(VALUES, Sdm630Fixture.read(master, UNIT));
        int port = slave.port();

        slave.close();
        assertThrows(ModbusIoException.class, () -> master.readInputRegisters(UNIT, 0, 2));
        assertFalse(master.isConnected());
        assertThrows(ModbusIoException.class, () -> master.readInputRegisters(UNIT, 0, 2), "connection refused");

        slave = ModbusTcpSlave.start(ModbusTcpSlaveConfig.builder().loopback(port).unitId(UNIT).build(), image);
        assertEquals(VALUES, Sdm630Fixture.read(master, UNIT));
        assertTrue(master.isConnected());
    }

    @Test
    void rejectsAResponseWithAnotherTransactionId() throws Exception {
        ScriptedServer server = scripted(request -> {
            byte[] answer = validAnswer(request);
            answer[1]++; // transaction id + 1
            return answer;
        });
        ModbusTcpMaster master = master(server.port());
        var e = assertThrows(ModbusProtocolException.class, () -> master.readInputRegisters(UNIT, 0, 2));
        assertEquals("transaction id", e.field());
        assertEquals("0x0001", e.expected());
        assertEquals("0x0002", e.actual());
        assertEquals("00 02 00 00 00 07 07 04 04 00 01 00 01", e.hex());
        assertEquals("transaction id: expected 0x0001, actual 0x0002 (bytes 00 02 00 00 00 07 07 04 04 00 01 00 01)",
                e.getMessage());
        assertFalse(master.isConnected());

        // The next call opens a new connection rather than reading on in a stream out of step.
        assertThrows(ModbusProtocolException.class, () -> master.readInputRegisters(UNIT, 0, 2));
        assertEquals(2, server.connections());
    }

    @Test
    void rejectsAResponseFromAnotherUnit() throws Exception {
        ScriptedServer server = scripted(request -> {
            byte[] answer = validAnswer(request);
            answer[6] = 9;
            return answer;
        });
        var e = assertThrows(ModbusProtocolException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals("unit id", e.field());
        assertEquals("7", e.expected());
        assertEquals("9", e.actual());
    }

    @Test
    void rejectsAResponseToAnotherFunction() throws Exception {
        ScriptedServer server = scripted(request -> {
            byte[] answer = validAnswer(request);
            answer[7] = 0x03;
            return answer;
        });
        var e = assertThrows(ModbusProtocolException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals("function code", e.field());
        assertEquals("0x04 or 0x84", e.expected());
        assertEquals("0x03", e.actual());
    }

    @Test
    void rejectsAResponseWithTheWrongNumberOfRegisters() throws Exception {
        ScriptedServer server = scripted(request -> new MbapFrame(request.transactionId(), request.unitId(),
                PduCodec.encode(new ReadInputRegistersResponse(new int[] {1, 2, 3}))).encode());
        var e = assertThrows(ModbusProtocolException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals("byte count", e.field());
        assertEquals("6", e.actual());
    }

    @Test
    void rejectsANonModbusProtocolId() throws Exception {
        ScriptedServer server = scripted(request -> {
            byte[] answer = validAnswer(request);
            answer[2] = 0x12;
            return answer;
        });
        var e = assertThrows(ModbusProtocolException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals("protocol id", e.field());
        assertEquals("0x1200", e.actual());
    }

    @Test
    void rejectsBytesAfterTheResponse() throws Exception {
        ScriptedServer server = scripted(request -> {
            byte[] answer = validAnswer(request);
            byte[] twice = java.util.Arrays.copyOf(answer, answer.length * 2);
            System.arraycopy(answer, 0, twice, answer.length, answer.length);
            return twice;
        });
        var e = assertThrows(ModbusProtocolException.class, () -> master(server.port()).readInputRegisters(UNIT, 0, 2));
        assertEquals("response length", e.field());
    }

    @Test
    void usesConsecutiveTransactionIds() throws Exception {
        ScriptedServer server = scripted(ModbusTcpMasterTest::validAnswer);
        ModbusTcpMaster master = master(server.port());
        for (int i = 0; i < 5; i++) {
            master.readInputRegisters(UNIT, 0, 1);
        }
        assertEquals(List.of(1, 2, 3, 4, 5), server.requests().stream().map(MbapFrame::transactionId).toList());
        assertEquals(1, server.connections());
        assertEquals("04 00 00 00 01", Hex.bytes(server.requests().get(0).pdu()));
    }

    @Test
    void refusesCallsAfterClose() {
        ModbusTcpMaster master = master(slave.port());
        master.close();
        var e = assertThrows(ModbusIoException.class, () -> master.readInputRegisters(UNIT, 0, 2));
        assertEquals("master for 127.0.0.1:" + slave.port() + " is closed", e.getMessage());
    }

    @Test
    void reportsARefusedConnection() throws Exception {
        int port = slave.port();
        slave.close();
        var e = assertThrows(ModbusIoException.class, () -> master(port).readInputRegisters(UNIT, 0, 2));
        assertTrue(e.getMessage().startsWith("connect to 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void servesConcurrentCallersOneRequestAtATime() throws Exception {
        ModbusTcpMaster master = master(slave.port());
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Callable<MeterReading>> tasks = new ArrayList<>();
            for (int i = 0; i < 8 * 25; i++) {
                tasks.add(() -> Sdm630Fixture.read(master, UNIT));
            }
            for (Future<MeterReading> f : pool.invokeAll(tasks)) {
                assertEquals(VALUES, f.get());
            }
        }
    }

    @Test
    void rejectsInvalidArgumentsBeforeSending() {
        ModbusTcpMaster master = master(slave.port());
        assertThrows(IllegalArgumentException.class, () -> master.readInputRegisters(256, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> master.readInputRegisters(UNIT, 0, 126));
        assertThrows(IllegalArgumentException.class, () -> master.readHoldingRegisters(UNIT, 65535, 2));
        assertFalse(master.isConnected());
    }
}
