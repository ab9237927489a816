package io.wattproof.modbus.slave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import io.wattproof.modbus.pdu.ExceptionCode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ModbusTcpSlaveTest {
    /** Register i of either table holds i, so every answer can be checked. */
    private static final RegisterBank IDENTITY = (function, address, quantity) -> {
        int[] values = new int[quantity];
        for (int i = 0; i < quantity; i++) {
            values[i] = (address + i) & 0xFFFF;
        }
        return values;
    };

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private ModbusTcpSlave start(ModbusTcpSlaveConfig config, RegisterBank bank) throws IOException {
        ModbusTcpSlave slave = ModbusTcpSlave.start(config, bank);
        toClose.add(slave);
        return slave;
    }

    private ModbusTcpSlave startUnit1(RegisterBank bank) throws IOException {
        return start(ModbusTcpSlaveConfig.builder().loopback(0).unitId(1).build(), bank);
    }

    private Socket connect(ModbusTcpSlave slave) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), slave.port());
        s.setSoTimeout(2000);
        toClose.add(s);
        return s;
    }

    private ModbusTcpMaster master(ModbusTcpSlave slave) {
        ModbusTcpMaster master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                .port(slave.port())
                .responseTimeout(Duration.ofMillis(300))
                .build());
        toClose.add(master);
        return master;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static byte[] exchange(Socket s, String request, int responseLength) throws IOException {
        s.getOutputStream().write(hex(request));
        return s.getInputStream().readNBytes(responseLength);
    }

    @Test
    void bindsAnEphemeralPort() throws Exception {
        ModbusTcpSlave slave = startUnit1(IDENTITY);
        assertTrue(slave.port() > 0);
        assertEquals(slave.port(), slave.localAddress().getPort());
    }

    @Test
    void answersFc03AndFc04() throws Exception {
        ModbusTcpMaster master = master(startUnit1(IDENTITY));
        assertArrayEquals(new int[] {0x10, 0x11, 0x12}, master.readHoldingRegisters(1, 0x10, 3));
        assertArrayEquals(new int[] {0xFFFE, 0xFFFF}, master.readInputRegisters(1, 0xFFFE, 2));
    }

    @Test
    void answersAnUnknownFunctionWithIllegalFunction() throws Exception {
        Socket s = connect(startUnit1(IDENTITY));
        // FC 01 read coils, transaction 0x0102: answered 0x81 0x01.
        byte[] answer = exchange(s, "0102 0000 0006 01 01 0000 0008", 9);
        assertArrayEquals(hex("0102 0000 0003 01 81 01"), answer);
    }

    @Test
    void answersAQuantityOutOfRangeWithIllegalDataValue() throws Exception {
        Socket s = connect(startUnit1(IDENTITY));
        assertArrayEquals(hex("0001 0000 0003 01 84 03"), exchange(s, "0001 0000 0006 01 04 0000 007e", 9));
        assertArrayEquals(hex("0002 0000 0003 01 83 02"), exchange(s, "0002 0000 0006 01 03 ffff 0002", 9));
    }

    @Test
    void answersWhatTheBankThrows() throws Exception {
        RegisterBank bank = (function, address, quantity) -> {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.SERVER_DEVICE_BUSY);
        };
        var e = assertThrows(ModbusExceptionResponse.class, () -> master(startUnit1(bank)).readInputRegisters(1, 0, 1));
        assertEquals(ExceptionCode.SERVER_DEVICE_BUSY, e.knownCode().orElseThrow());
    }

    @Test
    void answersABankFailureWithServerDeviceFailure() throws Exception {
        RegisterBank throwing = (function, address, quantity) -> {
            throw new IllegalStateException("simulated fault");
        };
        RegisterBank shortResult = (function, address, quantity) -> new int[quantity - 1];
        RegisterBank outOfRange = (function, address, quantity) -> new int[] {0x10000};
        for (RegisterBank bank : List.of(throwing, shortResult, outOfRange)) {
            var e = assertThrows(ModbusExceptionResponse.class, () -> master(startUnit1(bank)).readInputRegisters(1, 0, 1));
            assertEquals(ExceptionCode.SERVER_DEVICE_FAILURE, e.knownCode().orElseThrow());
        }
    }

    @Test
    void doesNotAnswerOtherUnits() throws Exception {
        ModbusTcpSlave slave = startUnit1(IDENTITY);
        ModbusTcpMaster master = master(slave);
        assertThrows(ModbusTimeoutException.class, () -> master.readInputRegisters(2, 0, 1));
        assertArrayEquals(new int[] {0}, master.readInputRegisters(1, 0, 1));
    }

    @Test
    void answersEveryUnitWhenConfiguredSo() throws Exception {
        ModbusTcpSlave slave = start(ModbusTcpSlaveConfig.builder().loopback(0).anyUnitId().build(), IDENTITY);
        ModbusTcpMaster master = master(slave);
        for (int unit : new int[] {0, 1, 2, 247, 255}) {
            assertArrayEquals(new int[] {5}, master.readInputRegisters(unit, 5, 1));
        }
    }

    @Test
    void answersASetOfUnits() throws Exception {
        ModbusTcpSlave slave = start(ModbusTcpSlaveConfig.builder().loopback(0).unitIds(Set.of(3, 4)).build(), IDENTITY);
        ModbusTcpMaster master = master(slave);
        assertArrayEquals(new int[] {5}, master.readInputRegisters(3, 5, 1));
        assertArrayEquals(new int[] {5}, master.readInputRegisters(4, 5, 1));
        assertThrows(ModbusTimeoutException.class, () -> master.readInputRegisters(5, 5, 1));
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        Socket s = connect(startUnit1(IDENTITY));
        s.getOutputStream().write(hex("0001 0000 0006 01 04 0010 0001" + "0002 0000 0006 01 03 0020 0001"));
        byte[] answers = s.getInputStream().readNBytes(22);
        assertArrayEquals(hex("0001 0000 0005 01 04 02 0010" + "0002 0000 0005 01 03 02 0020"), answers);
    }

    @Test
    void closesTheConnectionOnABrokenHeader() throws Exception {
        Socket s = connect(startUnit1(IDENTITY));
        s.getOutputStream().write(hex("0001 0001 0006 01 04 0000 0001")); // protocol id 1
        assertEquals(-1, s.getInputStream().read());
    }

    @Test
    void ignoresRequestsWithoutAUsableFunctionCode() throws Exception {
        Socket s = connect(startUnit1(IDENTITY));
        s.getOutputStream().write(hex("0001 0000 0002 01 00")); // function code 0
        assertThrows(SocketTimeoutException.class, () -> {
            s.setSoTimeout(200);
            s.getInputStream().read();
        });
        s.setSoTimeout(2000);
        assertArrayEquals(hex("0002 0000 0005 01 04 02 0000"), exchange(s, "0002 0000 0006 01 04 0000 0001", 11));
    }

    @Test
    void servesManyConnectionsConcurrently() throws Exception {
        ModbusTcpSlave slave = startUnit1(IDENTITY);
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Callable<Boolean>> clients = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                int base = c * 100;
                clients.add(() -> {
                    try (ModbusTcpMaster m = new ModbusTcpMaster(
                            ModbusTcpMasterConfig.builder("127.0.0.1").port(slave.port()).build())) {
                        for (int i = 0; i < 50; i++) {
                            int[] r = m.readInputRegisters(1, base + i, 2);
                            if (r[0] != base + i || r[1] != base + i + 1) {
                                return false;
                            }
                        }
                        return true;
                    }
                });
            }
            for (Future<Boolean> f : pool.invokeAll(clients)) {
                assertTrue(f.get());
            }
        }
    }

    @Test
    void closeReleasesThePortAndEndsConnections() throws Exception {
        ModbusTcpSlave slave = startUnit1(IDENTITY);
        int port = slave.port();
        Socket s = connect(slave);
        assertArrayEquals(hex("0001 0000 0005 01 04 02 0000"), exchange(s, "0001 0000 0006 01 04 0000 0001", 11));
        assertEquals(1, slave.connectionCount());

        slave.close();
        assertEquals(0, slave.connectionCount());
        InputStream in = s.getInputStream();
        assertEquals(-1, in.read(), "open connections are closed");
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        slave.close(); // idempotent

        ModbusTcpSlave again = start(ModbusTcpSlaveConfig.builder().loopback(port).unitId(1).build(), IDENTITY);
        assertEquals(port, again.port());
        assertArrayEquals(new int[] {7}, master(again).readInputRegisters(1, 7, 1));
    }

    @Test
    void closeEndsEveryConnectionPromptly() throws Exception {
        ModbusTcpSlave slave = startUnit1(IDENTITY);
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = connect(slave);
            exchange(s, "0001 0000 0006 01 04 0000 0001", 11); // the handler thread is running
            clients.add(s);
        }
        assertEquals(5, slave.connectionCount());
        long start = System.nanoTime();
        slave.close();
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "close waits for handlers, which end at once");
        assertEquals(0, slave.connectionCount());
        for (Socket s : clients) {
            assertEquals(-1, s.getInputStream().read());
        }
    }
}
