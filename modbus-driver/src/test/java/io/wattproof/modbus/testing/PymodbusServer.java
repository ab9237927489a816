package io.wattproof.modbus.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.modbus.master.ModbusTcpMaster;
import io.wattproof.modbus.master.ModbusTcpMasterConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A pymodbus 3.0 server (src/test/resources/pymodbus/modbus_server.py) run by Debian's
 * {@code /usr/bin/python3} with python3-pymodbus (override with {@code -Dwattproof.python=...}),
 * serving one unit as a {@link Config} describes: Modbus TCP, RTU over TCP or RTU on a serial line.
 * Over TCP the script binds port 0 and prints {@code PORT <n>} once it listens; on a serial line it
 * prints {@code READY} once it has opened its port. Either exits when its stdin closes, so there is
 * no race for a free port and no server outlives its test.
 *
 * <p>The configuration goes to the script as a JSON file, not as an argument: Linux refuses one
 * argument longer than 128 KiB (MAX_ARG_STRLEN), which a large register table passes.
 *
 * <p>A missing pymodbus fails the test with an install hint; it never skips, because a skipped
 * interoperability test looks green in CI.
 */
public final class PymodbusServer implements AutoCloseable {
    private static final String PYTHON = System.getProperty("wattproof.python", "/usr/bin/python3");
    private static final String SCRIPT = "modbus_server.py";
    /** No port: the server is on a serial line. */
    private static final int SERIAL = -1;

    private final Process process;
    private final Path workDir;
    private final Link link;
    private final int port;
    private final String version;

    private PymodbusServer(Process process, Path workDir, Link link, int port, String version) {
        this.process = process;
        this.workDir = workDir;
        this.link = link;
        this.port = port;
        this.version = version;
    }

    /** How the server is reached. */
    public sealed interface Link {
        /** Plain Modbus TCP: MBAP header, no CRC, on an ephemeral port of 127.0.0.1. */
        record Mbap() implements Link {}

        /** RTU frames, CRC included, over TCP, as a transparent serial gateway carries them. */
        record RtuOverTcp() implements Link {}

        /** RTU frames on the serial device {@code port} (a socat pty in the tests), opened 8N1. */
        record Serial(Path port, int baudRate) implements Link {
            public Serial {
                Objects.requireNonNull(port, "port");
            }
        }
    }

    /**
     * Registers {@code address}..{@code address + values.length - 1} of one table. pymodbus answers
     * a request reaching outside them with exception 0x02 (illegal data address).
     */
    public record RegisterBlock(int address, int[] values) {
        /** One register holding 0 at address 0, for a table a test does not use. */
        public static final RegisterBlock UNUSED = new RegisterBlock(0, new int[] {0});

        public RegisterBlock {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }
    }

    /**
     * What the server serves: unit {@code unit} only (requests for others get no answer), its
     * input registers (FC 04) and holding registers (FC 03, 06, 16), its identification objects
     * (FC 43 / MEI 0x0e) by pymodbus' names (VendorName, ProductCode, MajorMinorRevision, VendorUrl,
     * ProductName, ModelName, UserApplicationName), and whether unit 0 is the broadcast address
     * (Serial Line V1.02 section 2.2: writes to it are executed and not answered).
     */
    public record Config(Link link, int unit, RegisterBlock input, RegisterBlock holding, Map<String, String> identity,
            boolean broadcast) {
        public Config {
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(holding, "holding");
            identity = Collections.unmodifiableMap(new LinkedHashMap<>(identity));
        }

        /** Plain Modbus TCP. */
        public static Builder mbap() {
            return new Builder(new Link.Mbap());
        }

        /** RTU frames over TCP. */
        public static Builder rtuOverTcp() {
            return new Builder(new Link.RtuOverTcp());
        }

        /** RTU frames on the serial device {@code port}, 8N1 at {@code baudRate}. */
        public static Builder serial(Path port, int baudRate) {
            return new Builder(new Link.Serial(port, baudRate));
        }

        /** The JSON object modbus_server.py reads; see its docstring. */
        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            switch (link) {
                case Link.Mbap m -> json.put("link", "mbap");
                case Link.RtuOverTcp t -> json.put("link", "tcp");
                case Link.Serial s -> {
                    json.put("link", "serial");
                    json.put("port", s.port().toString());
                    json.put("baudrate", s.baudRate());
                }
            }
            json.put("unit", unit);
            json.put("input", Map.of("address", input.address(), "values", input.values()));
            json.put("holding", Map.of("address", holding.address(), "values", holding.values()));
            json.put("identity", identity);
            json.put("broadcast", broadcast);
            return json;
        }

        /** Defaults: unit 1, {@link RegisterBlock#UNUSED} tables, no identification objects, no broadcast. */
        public static final class Builder {
            private final Link link;
            private int unit = 1;
            private RegisterBlock input = RegisterBlock.UNUSED;
            private RegisterBlock holding = RegisterBlock.UNUSED;
            private Map<String, String> identity = Map.of();
            private boolean broadcast;

            private Builder(Link link) {
                this.link = link;
            }

            public Builder unit(int unit) {
                this.unit = unit;
                return this;
            }

            public Builder input(int address, int[] values) {
                this.input = new RegisterBlock(address, values);
                return this;
            }

            public Builder holding(int address, int[] values) {
                this.holding = new RegisterBlock(address, values);
                return this;
            }

            public Builder identity(Map<String, String> identity) {
                this.identity = identity;
                return this;
            }

            public Builder broadcast(boolean broadcast) {
                this.broadcast = broadcast;
                return this;
            }

            public Config build() {
                return new Config(link, unit, input, holding, identity, broadcast);
            }
        }
    }

    /** Starts pymodbus serving {@code config}; returns once it serves. */
    public static PymodbusServer start(Config config) throws Exception {
        String version = requirePymodbus();
        Path workDir = Files.createTempDirectory("pymodbus-it");
        Path scriptFile = workDir.resolve(SCRIPT);
        try (InputStream in = PymodbusServer.class.getResourceAsStream("/pymodbus/" + SCRIPT)) {
            if (in == null) {
                fail("test resource /pymodbus/" + SCRIPT + " is missing from the test classpath");
            }
            Files.copy(in, scriptFile);
        }
        Path configFile = workDir.resolve("config.json");
        new ObjectMapper().writeValue(configFile.toFile(), config.toJson());
        Path stderr = workDir.resolve("stderr.log");
        Process process = new ProcessBuilder(PYTHON, scriptFile.toString(), configFile.toString())
                .redirectError(stderr.toFile())
                .start();

        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
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
        if (line == null || !(line.startsWith("PORT ") || line.equals("READY"))) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            fail("pymodbus " + version + " did not start serving " + config.link() + " (first line: " + line
                    + "); stderr:\n" + Files.readString(stderr));
        }
        int port = line.equals("READY") ? SERIAL : Integer.parseInt(line.substring("PORT ".length()).strip());
        return new PymodbusServer(process, workDir, config.link(), port, version);
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
        // The output is a line or a short traceback: it fits the pipe, so waiting first cannot block.
        boolean exited = probe.waitFor(30, TimeUnit.SECONDS);
        if (!exited) {
            probe.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!exited || probe.exitValue() != 0) {
            fail(PYTHON + " cannot import pymodbus, which this integration test needs: install Debian's "
                    + "python3-pymodbus (apt-get install -y python3-pymodbus; do not pip install), or point "
                    + "-Dwattproof.python at an interpreter that has it. Output:\n" + output);
        }
        return output;
    }

    /** The TCP port the server listens on. */
    public int port() {
        if (port == SERIAL) {
            throw new IllegalStateException("this pymodbus server is on a serial line and has no port");
        }
        return port;
    }

    /**
     * A new Modbus TCP master for this server (on the {@link Link.Mbap} link), connect timeout 2 s;
     * the caller closes it.
     */
    public ModbusTcpMaster tcpMaster(Duration responseTimeout) {
        if (!(link instanceof Link.Mbap)) {
            throw new IllegalStateException("a Modbus TCP master needs the mbap link, this server is on " + link);
        }
        return new ModbusTcpMaster(ModbusTcpMasterConfig.builder("127.0.0.1")
                .port(port)
                .connectTimeout(Duration.ofSeconds(2))
                .responseTimeout(responseTimeout)
                .build());
    }

    public String version() {
        return version;
    }

    /** Closes the script's stdin so it exits; kills it if it has not within 5 s. Removes its files. */
    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.list(workDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(workDir);
    }
}
