package io.wattproof.agent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.driver.TestMosquitto;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.Sdm630Fixture;
import io.wattproof.modbus.testing.SocatPtyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The bench a daemon IT runs {@code meter-agent run --config} on: a software device key in
 * {@code dir/keys}, an SDM630 served by pymodbus at unit 1 on one end of a socat pseudo-terminal
 * pair (the board's RS-485 line is the other end), and a plain Mosquitto.
 */
record DaemonBench(Path dir, Path keys, Path secret, String deviceId, SocatPtyPair pty, PymodbusServer meter,
        TestMosquitto broker) implements AutoCloseable {
    private static final int UNIT = 1;

    static DaemonBench start(Path dir) throws Exception {
        Path keys = dir.resolve("keys");
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        String deviceId;
        try (DeviceKey key = SoftwareKeyStore.create(keys, KeyAlgorithm.ECDSA_P256_SHA256, secret)) {
            deviceId = key.deviceId().hex();
        }
        // What started is stopped again (after the failure is thrown) if a later part does not start.
        SocatPtyPair pty = SocatPtyPair.start();
        try {
            PymodbusServer meter = PymodbusServer.start(PymodbusServer.Config.serial(pty.a(), 9600).unit(UNIT)
                    .input(0, sdm630Registers()).build());
            try {
                return new DaemonBench(dir, keys, secret, deviceId, pty, meter, TestMosquitto.start(dir));
            } catch (Throwable t) {
                try (meter) {
                    throw t;
                }
            }
        } catch (Throwable t) {
            try (pty) {
                throw t;
            }
        }
    }

    /** The image serves the map's values; the gaps between them read as zeros, as on the meter. */
    private static int[] sdm630Registers() {
        var map = Sdm630Fixture.map();
        var image = Sdm630Fixture.image();
        int[] registers = new int[map.values().stream().mapToInt(v -> v.address() + v.width()).max().orElseThrow()];
        for (var v : map.values()) {
            System.arraycopy(image.registers(RegisterTable.INPUT, v.address(), v.width()), 0, registers, v.address(), v.width());
        }
        return registers;
    }

    /**
     * Writes {@code board.yaml} (board "test-pty": the pty line to the SDM630, an interval of 2 s)
     * and {@code agent.yaml} for this device, key and broker on that board with {@code extra} lines
     * at its end (further top-level sections); returns agent.yaml.
     */
    Path writeConfig(String... extra) throws IOException {
        Path board = Files.writeString(dir.resolve("board.yaml"), String.join("\n",
                "schema: wattproof-board/1",
                "name: test-pty",
                "description: the test's pty pair",
                "gpio_header: none",
                "key_store: software",
                "serial:",
                "  device: " + pty.b(),
                "  baud: 9600",
                "  parity: none",
                "  stop_bits: 1",
                "  direction: none",
                "meter:",
                "  model: SDM630",
                "  unit_id: " + UNIT,
                "interval: 2s",
                "paths:",
                "  data_dir: " + dir.resolve("data"),
                "  key_dir: " + keys,
                "  config_dir: " + dir,
                ""));
        List<String> agent = new ArrayList<>(List.of(
                "schema: wattproof-agent/1",
                "board: " + board,
                "device_id: " + deviceId,
                "key_store:",
                "  kind: software",
                "  dir: " + keys,
                "  secret_file: " + secret,
                "mqtt:",
                "  broker: " + broker.uri(),
                "ledger:",
                "  chain_id: wattproof-sim"));
        agent.addAll(List.of(extra));
        agent.add("");
        return Files.writeString(dir.resolve("agent.yaml"), String.join("\n", agent));
    }

    /** {@code meter-agent run --config} in a child JVM with the environment systemd gives a notify service. */
    static Process startAgent(Path config, String notifySocket, Path runtime, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wattproof.agent.cli.MeterAgentCommand"));
        command.addAll(List.of("run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NOTIFY_SOCKET", notifySocket);
        pb.environment().put("WATCHDOG_USEC", "2000000");
        pb.environment().put("RUNTIME_DIRECTORY", runtime.toString());
        // WATCHDOG_PID must name the process systemd started; here it is the child itself.
        return pb.start();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits up to 60 s for the status file in {@code runtime} to exist, parse and hold {@code condition}; returns it. */
    static JsonNode awaitStatus(Path runtime, String what, Predicate<JsonNode> condition) throws Exception {
        JsonNode[] last = new JsonNode[1];
        awaitTrue(() -> {
            last[0] = readStatus(runtime);
            return last[0] != null && condition.test(last[0]);
        }, 60_000, what);
        return last[0];
    }

    private static JsonNode readStatus(Path runtime) {
        try {
            return new ObjectMapper().readTree(Files.readString(runtime.resolve(StatusFile.NAME)));
        } catch (IOException e) {
            return null;
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Condition c, long timeoutMillis, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (c.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() throws Exception {
        try (pty; meter; broker) {
            // Closed in reverse order: the broker, then the meter, then the pty pair.
        }
    }
}
