package io.wattproof.modbus.slave;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.master.ModbusRtuMaster;
import io.wattproof.modbus.master.ModbusRtuMasterConfig;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.FunctionCode;
import io.wattproof.modbus.testing.NullModemPair;
import io.wattproof.modbus.transport.ByteTransport;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ModbusRtuSlaveTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final RtuTiming TIMING = RtuTiming.of(38400, 11);

    /** Holding register i holds i; input registers are not mapped above 0x00ff. */
    private static final RegisterBank BANK = (function, address, quantity) -> {
        if (function == FunctionCode.READ_INPUT_REGISTERS && address + quantity > 0x100) {
            throw new ModbusExceptionResponse(function.code(), ExceptionCode.ILLEGAL_DATA_ADDRESS);
        }
        int[] r = new int[quantity];
        Arrays.setAll(r, i -> address + i);
        return r;
    };

    private NullModemPair cable;
    private ModbusRtuSlave slave;
    private ByteTransport line;

    @BeforeEach
    void start() {
        cable = new NullModemPair();
        slave = ModbusRtuSlave.start(cable.a(), Set.of(5, 6), TIMING, BANK);
        line = cable.b();
    }

    @AfterEach
    void stop() {
        slave.close();
        cable.close();
    }

    private ModbusRtuMaster master() {
        return new ModbusRtuMaster(line, ModbusRtuMasterConfig.builder()
                .timing(TIMING).responseTimeout(Duration.ofMillis(150)).retries(0).build());
    }

    /** Sends raw bytes and collects what comes back within {@code millis}. */
    private byte[] exchange(byte[] request, long millis) throws Exception {
        line.write(request);
        byte[] buffer = new byte[600];
        int length = 0;
        long deadline = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        while (System.nanoTime() < deadline) {
            length += line.read(buffer, length, buffer.length - length, Duration.ofMillis(10));
        }
        return Arrays.copyOf(buffer, length);
    }

    @Test
    void answersReadsForEachOfItsAddresses() throws Exception {
        ModbusRtuMaster master = master();
        assertArrayEquals(new int[] {10, 11, 12}, master.readHoldingRegisters(5, 10, 3));
        assertArrayEquals(new int[] {0xf0, 0xf1}, master.readInputRegisters(6, 0xf0, 2));
        assertEquals(2, slave.requestsAnswered());
    }

    @Test
    void refusalsAreExceptionResponses() {
        ModbusExceptionResponse e = assertThrows(ModbusExceptionResponse.class,
                () -> master().readInputRegisters(5, 0x00ff, 2));
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS.code(), e.exceptionCode());
    }

    @Test
    void otherAddressesAndBadCrcsGetNoAnswer() throws Exception {
        assertThrows(ModbusTimeoutException.class, () -> master().readHoldingRegisters(7, 0, 1));
        byte[] corrupted = new RtuFrame(5, HEX.parseHex("0300000001")).encode();
        corrupted[3] ^= 0x01;
        assertEquals(0, exchange(corrupted, 100).length);
    }

    @Test
    void noiseBetweenRequestsIsSkipped() throws Exception {
        byte[] request = new RtuFrame(5, HEX.parseHex("0300070002")).encode();
        byte[] noisy = new byte[3 + request.length];
        noisy[0] = (byte) 0xff;
        noisy[1] = (byte) 0xfe;
        noisy[2] = (byte) 0x00;
        System.arraycopy(request, 0, noisy, 3, request.length);
        assertArrayEquals(new RtuFrame(5, HEX.parseHex("0304" + "0007" + "0008")).encode(), exchange(noisy, 100));
    }

    @Test
    void anUnknownFunctionIsFramedBySilenceAndRefused() throws Exception {
        // FC 0x41 is not one the slave can frame by length: it waits for silence, checks the CRC
        // and answers 0xc1 0x01 (illegal function).
        byte[] request = new RtuFrame(6, HEX.parseHex("41010203")).encode();
        assertArrayEquals(new RtuFrame(6, HEX.parseHex("c101")).encode(), exchange(request, 150));
    }

    @Test
    void aBroadcastIsNeverAnswered() throws Exception {
        byte[] broadcastRead = new RtuFrame(0, HEX.parseHex("0300000001")).encode();
        assertEquals(0, exchange(broadcastRead, 100).length);
        assertEquals(0, slave.requestsAnswered());
    }
}
