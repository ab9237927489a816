package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.frame.rtu.RtuFrame;
import io.wattproof.modbus.frame.rtu.RtuTiming;
import io.wattproof.modbus.pdu.ConformityLevel;
import io.wattproof.modbus.pdu.DeviceIdentification;
import io.wattproof.modbus.pdu.ExceptionCode;
import io.wattproof.modbus.pdu.ReadDeviceIdCode;
import io.wattproof.modbus.pdu.ReadDeviceIdentificationRequest;
import io.wattproof.modbus.pdu.WriteMultipleRegistersRequest;
import io.wattproof.modbus.pdu.WriteSingleRegisterRequest;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.RecordingMaster;
import io.wattproof.modbus.testing.Sdm630TestImage;
import io.wattproof.modbus.transport.ByteTransport;
import io.wattproof.modbus.types.Registers;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ModbusRtuMaster} against pymodbus 3.0.0 (Debian's python3-pymodbus) as an RTU server, an
 * implementation of framing, CRC and register access independent of ours, started by {@link
 * PymodbusServer}; each subclass puts it on one link: a serial line
 * ({@link PymodbusRtuIT}, socat pseudo-terminals) or TCP carrying RTU frames ({@link
 * PymodbusRtuOverTcpIT}, what a transparent serial gateway does).
 *
 * <p>pymodbus serves the input registers of an Eastron SDM630 and a few of its holding registers
 * ({@link Sdm630TestImage}: float32, high word first, at the addresses of Eastron's protocol
 * document). Every read is
 * compared register for register with what was served; writes are kept in {@link #holding}, the
 * registers pymodbus must now hold, so the tests do not depend on their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class PymodbusRtuPeerContract {
    static final int UNIT = 17;

    static final int INPUT_LENGTH = Sdm630TestImage.INPUT_LENGTH;
    /** Holding registers 0x0000..0x00ff: the SDM630 settings, then room for the write tests. */
    static final int HOLDING_LENGTH = 0x0100;

    /**
     * Identification objects 0x00..0x06 (pymodbus' names). Objects 0x00..0x04 take exactly 246
     * bytes with their id and length bytes, the most pymodbus puts in one response: that response
     * is a 253-byte PDU, a 256-byte RTU frame (Serial Line V1.02 section 2.5.1.1, the largest
     * there is), and objects 0x05 and 0x06 follow in a second one.
     */
    static final Map<String, String> IDENTITY = new LinkedHashMap<>();

    static {
        IDENTITY.put("VendorName", "Wattproof Test Vendor");
        IDENTITY.put("ProductCode", "WP-RTU-256");
        IDENTITY.put("MajorMinorRevision", "3.0.0-rtu");
        IDENTITY.put("VendorUrl", padded("https://wattproof.invalid/devices/", 'u', 98));
        IDENTITY.put("ProductName", padded("Wattproof RTU peer ", 'p', 98));
        IDENTITY.put("ModelName", "WP-RTU-256 Model B");
        IDENTITY.put("UserApplicationName", "PymodbusRtuIT");
    }

    final int[] input = Sdm630TestImage.inputRegisters();
    /** The holding registers pymodbus holds now: what it was started with, plus every write made. */
    final int[] holding = Sdm630TestImage.holdingRegisters(HOLDING_LENGTH, UNIT);
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    ByteTransport transport;
    ModbusRtuMaster master;

    /**
     * The link pymodbus is to serve on, as a configuration the contract completes with the unit,
     * registers and identity; starts what the link needs, adding it to {@code resources}.
     */
    abstract PymodbusServer.Config.Builder link(Deque<AutoCloseable> resources) throws Exception;

    /** The master's end of the link to the server just started. */
    abstract ByteTransport openTransport(PymodbusServer server) throws Exception;

    abstract RtuTiming timing();

    @BeforeAll
    void start() throws Exception {
        // On failure, @AfterAll still runs and closes what was started.
        PymodbusServer server = PymodbusServer.start(link(resources)
                .unit(UNIT)
                .input(0, input)
                .holding(0, holding)
                .identity(IDENTITY)
                .broadcast(true)
                .build());
        resources.push(server);
        transport = openTransport(server);
        resources.push(transport);
        master = new ModbusRtuMaster(transport, ModbusRtuMasterConfig.builder().timing(timing()).build());
    }

    @AfterAll
    void stop() throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Test
    void fc04ReadsReturnExactlyTheServedRegisters() throws Exception {
        int[][] ranges = {
            {0x0000, 1}, {0x0000, 2}, {0x0000, 0x12}, {0x0034, 2}, {0x0046, 6}, {0x0000, 125}, {0x00C8, 8},
            {0x0100, 125}, {INPUT_LENGTH - 125, 125}, {INPUT_LENGTH - 1, 1}, {0x0055, 77}
        };
        for (int[] r : ranges) {
            assertArrayEquals(Arrays.copyOfRange(input, r[0], r[0] + r[1]), master.readInputRegisters(UNIT, r[0], r[1]),
                    "FC 04 from " + hex(r[0]) + ", " + r[1] + " registers");
        }
    }

    @Test
    void everyReadQuantityBackToBack() throws Exception {
        // Every response length from 7 to 255 bytes, one transaction right after the other.
        for (int quantity = 1; quantity <= 125; quantity++) {
            int address = quantity * 37 % (INPUT_LENGTH - quantity + 1);
            assertArrayEquals(Arrays.copyOfRange(input, address, address + quantity),
                    master.readInputRegisters(UNIT, address, quantity),
                    "FC 04 from " + hex(address) + ", " + quantity + " registers");
        }
    }

    @Test
    void sdm630FloatsComeBackHighWordFirst() throws Exception {
        for (var e : Sdm630TestImage.INPUTS.entrySet()) {
            int[] registers = master.readInputRegisters(UNIT, e.getKey(), 2);
            assertEquals(e.getValue(), Registers.float32(registers, 0), "input register " + hex(e.getKey()));
        }
        int[] first = master.readInputRegisters(UNIT, 0, 0x4C); // 30001..30076 in one request
        assertEquals(230.5f, Registers.float32(first, 0x0000));
        assertEquals(-57.5f, Registers.float32(first, 0x0010));
        assertEquals(12345.5f, Registers.float32(first, 0x0048));
        assertEquals(678.25f, Registers.float32(first, 0x004A));
        for (var e : Sdm630TestImage.SETTINGS.entrySet()) {
            int[] registers = master.readHoldingRegisters(UNIT, e.getKey(), 2);
            assertEquals(e.getValue(), Registers.float32(registers, 0), "holding register " + hex(e.getKey()));
        }
        assertEquals(UNIT, Registers.float32(master.readHoldingRegisters(UNIT, 0x0014, 2), 0), "network node");
    }

    @Test
    void fc03ReadsReturnExactlyTheHeldRegisters() throws Exception {
        int[][] ranges = {{0x0000, 1}, {0x0000, 0x20}, {0x0014, 2}, {0x0000, 125}, {HOLDING_LENGTH - 125, 125}};
        for (int[] r : ranges) {
            assertArrayEquals(Arrays.copyOfRange(holding, r[0], r[0] + r[1]),
                    master.readHoldingRegisters(UNIT, r[0], r[1]), "FC 03 from " + hex(r[0]) + ", " + r[1] + " registers");
        }
    }

    @Test
    void fc06WritesAreReadBack() throws Exception {
        for (int[] w : new int[][] {{0x00F0, 0x1234}, {0x00F1, 0xFFFF}, {0x00F2, 0}, {0x00F3, 0x8000}}) {
            master.writeSingleRegister(UNIT, w[0], w[1]);
            holding[w[0]] = w[1];
        }
        assertArrayEquals(Arrays.copyOfRange(holding, 0x00EF, 0x00F5), master.readHoldingRegisters(UNIT, 0x00EF, 6));
    }

    @Test
    void fc16WritesAreReadBack() throws Exception {
        int[] values = new Random(16).ints(123, 0, 0x10000).toArray(); // the most one FC 16 request carries
        master.writeMultipleRegisters(UNIT, 0x0080, values);
        System.arraycopy(values, 0, holding, 0x0080, values.length);
        assertArrayEquals(Arrays.copyOfRange(holding, 0x007F, 0x007F + 125), master.readHoldingRegisters(UNIT, 0x007F, 125),
                "written values and untouched neighbours");

        // The SDM630 way of changing a setting: FC 16 with the two registers of a float32.
        int[] thirtyMinutes = Registers.fromFloat32(30f);
        master.writeMultipleRegisters(UNIT, 0x0002, thirtyMinutes);
        System.arraycopy(thirtyMinutes, 0, holding, 0x0002, 2);
        assertEquals(30f, Registers.float32(master.readHoldingRegisters(UNIT, 0x0002, 2), 0), "demand period");
    }

    @Test
    void identificationComesInTwoResponsesTheFirstA256ByteFrame() throws Exception {
        int firstResponseObjects = 0;
        List<String> values = List.copyOf(IDENTITY.values());
        for (int id = 0; id <= DeviceIdentification.PRODUCT_NAME; id++) {
            firstResponseObjects += 2 + values.get(id).length();
        }
        // Checks the test itself: pymodbus fills a response up to 253 - 7 PDU bytes of objects.
        assertEquals(RtuFrame.MAX_FRAME_LENGTH - 10, firstResponseObjects);

        RecordingMaster recording = new RecordingMaster(master);
        DeviceIdentification id = recording.readDeviceIdentification(UNIT);

        Map<Integer, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            expected.put(i, values.get(i));
        }
        assertEquals(expected, id.objects());
        assertEquals(ConformityLevel.EXTENDED, id.conformityLevel()); // pymodbus 3.0 always states 0x83
        assertEquals(List.of(new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, 0),
                new ReadDeviceIdentificationRequest(ReadDeviceIdCode.REGULAR, DeviceIdentification.MODEL_NAME)),
                recording.requests(), "objects 0x00..0x04 in the first response, the rest in the second");
    }

    @Test
    void addressesPymodbusDoesNotHoldAreRefusedWithIllegalDataAddress() throws Exception {
        assertRefused(0x04, () -> master.readInputRegisters(UNIT, INPUT_LENGTH - 1, 2));
        assertRefused(0x04, () -> master.readInputRegisters(UNIT, 0x1000, 1));
        assertRefused(0x03, () -> master.readHoldingRegisters(UNIT, HOLDING_LENGTH, 1));
        assertRefused(0x06, () -> master.writeSingleRegister(UNIT, HOLDING_LENGTH, 1));
        assertRefused(0x10, () -> master.writeMultipleRegisters(UNIT, HOLDING_LENGTH - 1, new int[] {1, 2}));
        assertEquals(holding[HOLDING_LENGTH - 1], master.readHoldingRegisters(UNIT, HOLDING_LENGTH - 1, 1)[0],
                "a refused FC 16 writes nothing");
        LineStatistics statistics = master.statistics();
        assertEquals(0, statistics.crcErrors() + statistics.truncatedFrames() + statistics.noiseFaults()
                + statistics.unexpectedAnswers(), "line faults: " + statistics);
    }

    @Test
    void broadcastWritesAreExecutedAndNotAnswered() throws Exception {
        long broadcastsBefore = master.statistics().broadcasts();
        master.broadcast(new WriteSingleRegisterRequest(0x00E0, 0xBEEF));
        holding[0x00E0] = 0xBEEF;
        master.broadcast(new WriteMultipleRegistersRequest(0x00E1, new int[] {1, 0x8000, 0xFFFF}));
        System.arraycopy(new int[] {1, 0x8000, 0xFFFF}, 0, holding, 0x00E1, 3);
        // Nothing came back: the master's turnaround delay has passed, and another 100 ms does too.
        assertEquals(0, transport.read(new byte[RtuFrame.MAX_FRAME_LENGTH], 0, RtuFrame.MAX_FRAME_LENGTH,
                Duration.ofMillis(100)), "bytes after a broadcast");
        assertArrayEquals(Arrays.copyOfRange(holding, 0x00DF, 0x00E5), master.readHoldingRegisters(UNIT, 0x00DF, 6));
        assertEquals(broadcastsBefore + 2, master.statistics().broadcasts());
    }

    private static void assertRefused(int function, org.junit.jupiter.api.function.Executable request) {
        var e = assertThrows(ModbusExceptionResponse.class, request);
        assertEquals(function, e.function(), "function of the exception response");
        assertEquals(ExceptionCode.ILLEGAL_DATA_ADDRESS, e.knownCode().orElseThrow());
    }

    @Test
    void aUnitPymodbusDoesNotServeGetsNoAnswer() throws Exception {
        // A second master on the same line, impatient so that the test stays short.
        ModbusRtuMaster impatient = new ModbusRtuMaster(transport, ModbusRtuMasterConfig.builder()
                .timing(timing())
                .responseTimeout(Duration.ofMillis(200))
                .retries(1)
                .initialBackoff(Duration.ofMillis(20))
                .build());
        assertThrows(ModbusTimeoutException.class, () -> impatient.readInputRegisters(UNIT + 1, 0, 2));
        LineStatistics statistics = impatient.statistics();
        assertEquals(2, statistics.timeouts(), "both attempts: " + statistics);
        assertEquals(1, statistics.failedTransactions());
        // The line is usable at once for the unit that is there.
        assertArrayEquals(Arrays.copyOfRange(input, 0, 2), impatient.readInputRegisters(UNIT, 0, 2));
        assertArrayEquals(Arrays.copyOfRange(input, 0x48, 0x4C), master.readInputRegisters(UNIT, 0x48, 4));
    }

    private static String padded(String prefix, char pad, int length) {
        return prefix + String.valueOf(pad).repeat(length - prefix.length());
    }

    private static String hex(int address) {
        return String.format("0x%04x", address);
    }
}
