package io.wattproof.modbus.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.wattproof.modbus.ModbusExceptionResponse;
import io.wattproof.modbus.ModbusTimeoutException;
import io.wattproof.modbus.maps.MeterReading;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.testing.Sdm630Fixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ModbusTcpMaster} against a real third-party server: pymodbus 3.0.0 from Debian's
 * python3-pymodbus, run by {@code /usr/bin/python3} (override with {@code -Dwattproof.python=...}).
 * The server script (src/test/resources/pymodbus/input_register_server.py) holds an SDM630 input
 * register image built by our own {@link io.wattproof.modbus.maps.MeterRegisterImage} from sdm630.yaml, so the test checks our float32
 * encoding, framing and transaction handling against an independent implementation.
 *
 * <p>A missing pymodbus fails the test with a message saying how to install it; it never skips,
 * because a skipped interoperability test looks green in CI.
 */
@Timeout(60)
class PymodbusServerIT {
    private static final String PYTHON = System.getProperty("wattproof.python", "/usr/bin/python3");
    private static final int UNIT = 17;
    private static final int IMAGE_LENGTH = 0x0050; // the readable block of sdm630.yaml, 0x0000..0x004f
    private static final MeterReading VALUES = Sdm630Fixture.expected();

    private static Process server;
    private static Path workDir;
    private static int port;
    private static int[] image;

    private ModbusTcpMaster master;

    @BeforeAll
    static void startPymodbus() throws Exception {
        String version = requirePymodbus();
        workDir = Files.createTempDirectory("pymodbus-it");
        Path script = workDir.resolve("input_register_server.py");
        try (InputStream in = PymodbusServerIT.class.getResourceAsStream("/pymodbus/input_register_server.py")) {
            if (in == null) {
                fail("test resource /pymodbus/input_register_server.py is missing from the test classpath");
            }
            Files.copy(in, script);
        }

        image = Sdm630Fixture.image().registers(RegisterTable.INPUT, 0, IMAGE_LENGTH);

        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString(), Integer.toString(UNIT), "0"));
        Arrays.stream(image).mapToObj(Integer::toString).forEach(command::add);
        Path stderr = workDir.resolve("stderr.log");
        server = new ProcessBuilder(command).redirectError(stderr.toFile()).start();

        // The script binds port 0 and prints "PORT <n>" once it listens: no race for a free port.
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(20, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        if (line == null || !line.startsWith("PORT ")) {
            server.destroyForcibly();
            fail("pymodbus " + version + " server did not start (first line: " + line + "); stderr:\n"
                    + Files.readString(stderr));
        }
        port = Integer.parseInt(line.substring("PORT ".length()).strip());
    }

    /** Fails (never skips) when {@link #PYTHON} cannot import pymodbus; returns its version. */
    private static String requirePymodbus() throws Exception {
        Process probe;
        try {
            probe = new ProcessBuilder(PYTHON, "-c", "import pymodbus; print(pymodbus.__version__)")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            fail("cannot run " + PYTHON + " (" + e.getMessage() + "): this test needs Debian's python3 with "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus)");
            throw e;
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!probe.waitFor(30, TimeUnit.SECONDS) || probe.exitValue() != 0) {
            fail(PYTHON + " cannot import pymodbus, which this integration test needs: install Debian's "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus; do not pip install), or point "
                    + "-Dwattproof.python at an interpreter that has it. Output:\n" + output);
        }
        return output;
    }

    @AfterAll
    static void stopPymodbus() throws Exception {
        if (server != null) {
            server.getOutputStream().close(); // the script exits when its stdin closes
            if (!server.waitFor(5, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (workDir != null) {
            try (var files = Files.list(workDir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(workDir);
        }
    }

    @BeforeEach
    void connect() {
        master = new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                .port(port)
                .connectTimeout(Duration.ofSeconds(2))
                .responseTimeout(Duration.ofMillis(500))
                .build());
    }

    @AfterEach
    void disconnect() {
        master.close();
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
