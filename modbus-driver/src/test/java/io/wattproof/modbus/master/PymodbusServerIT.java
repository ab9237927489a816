package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.Sdm630Fixture;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ModbusTcpMaster} against a real third-party server: pymodbus 3.0.0 from Debian's
 * python3-pymodbus ({@link PymodbusServer}). pymodbus holds an SDM630 register image built by our own
 * {@link io.wattproof.modbus.maps.MeterRegisterImage} from sdm630.yaml, as its input registers and
 * again as its holding registers, so the test checks our float32 encoding, framing and transaction
 * handling against an independent implementation.
 */
@Timeout(60)
class PymodbusServerIT {
    private static final int UNIT = 17;
    private static final int IMAGE_LENGTH = 0x0050; // the readable block of sdm630.yaml, 0x0000..0x004f
    private static final MeterReading VALUES = Sdm630Fixture.expected();

    @AutoClose
    private static PymodbusServer server;
    private static int[] image;

    @AutoClose
    private ModbusTcpMaster master;

    @BeforeAll
    static void startPymodbus() throws Exception {
        image = Sdm630Fixture.image().registers(RegisterTable.INPUT, 0, IMAGE_LENGTH);
        server = PymodbusServer.start(PymodbusServer.Config.mbap().unit(UNIT).input(0, image).holding(0, image).build());
    }

    @BeforeEach
    void connect() {
        master = server.tcpMaster(Duration.ofMillis(500));
    }

    @Test
    void readsTheSdm630ValuesExactly() throws Exception {
        assertEquals(VALUES, Sdm630Fixture.read(master, UNIT));
    }

    @Test
    void readsRawInputAndHoldingRegisters() throws Exception {
        assertArrayEquals(Arrays.copyOfRange(image, 0, 18), master.readInputRegisters(UNIT, 0, 18));
        assertArrayEquals(Arrays.copyOfRange(image, 0x48, 0x4C), master.readHoldingRegisters(UNIT, 0x48, 4));
        assertArrayEquals(image, master.readInputRegisters(UNIT, 0, IMAGE_LENGTH));
    }

    @Test
    void manyRequestsOnOneConnection() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(Arrays.copyOfRange(image, 0x34, 0x36), master.readInputRegisters(UNIT, 0x34, 2));
        }
    }

    @Test
    void pymodbusAnswersAnAddressPastItsImageWithIllegalDataAddress() {
        var e = assertThrows(ModbusExceptionResponse.class, () -> master.readInputRegisters(UNIT, IMAGE_LENGTH - 1, 2));
        assertEquals(0x04, e.function());
        assertEquals(2, e.exceptionCode());
    }

    @Test
    void pymodbusIgnoresAnUnknownUnit() throws Exception {
        assertThrows(ModbusTimeoutException.class, () -> master.readInputRegisters(UNIT + 1, 0, 2));
        // The master reconnects after the timeout and goes on.
        assertEquals(VALUES, Sdm630Fixture.read(master, UNIT));
    }
}
