package io.wattproof.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.modbus.maps.RegisterTable;
import io.wattproof.modbus.testing.PymodbusServer;
import io.wattproof.modbus.testing.Sdm630Fixture;
import io.wattproof.modbus.testing.SocatPtyPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code meter-agent run --config} as systemd runs it: a child JVM with {@code NOTIFY_SOCKET},
 * {@code WATCHDOG_USEC} and {@code RUNTIME_DIRECTORY} set, a board profile whose RS-485 line is a
 * socat pseudo-terminal with pymodbus serving an SDM630 on the other end, and a real Mosquitto.
 * It must say READY=1 once metering, ping the watchdog, keep the status file that {@code status}
 * reads, deliver records, and on SIGTERM say STOPPING=1 and exit.
 */
@Timeout(180)
class DaemonIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final int UNIT = 1;

    @TempDir
    Path dir;

    @Test
    void runsAsANotifyServiceWithAWatchdogAndAStatusFile() throws Exception {
        Path keys = dir.resolve("keys");
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        String deviceId;
        try (DeviceKey key = SoftwareKeyStore.create(keys, KeyAlgorithm.ECDSA_P256_SHA256, secret)) {
            deviceId = key.deviceId().hex();
        }
        // The image serves the map's values; the gaps between them read as zeros, as on the meter.
        var map = Sdm630Fixture.map();
        var image = Sdm630Fixture.image();
        int[] registers = new int[map.values().stream().mapToInt(v -> v.address() + v.width()).max().orElseThrow()];
        for (var v : map.values()) {
            System.arraycopy(image.registers(RegisterTable.INPUT, v.address(), v.width()), 0, registers, v.address(), v.width());
        }
        Path runtime = Files.createDirectory(dir.resolve("run"));
        Path data = dir.resolve("data");
        try (SocatPtyPair pty = SocatPtyPair.start();
                PymodbusServer meter = PymodbusServer.start(PymodbusServer.Config.serial(pty.a(), 9600).unit(UNIT)
                        .input(0, registers).build());
                Broker broker = Broker.start(dir);
                NotifySocketReceiver systemd = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
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
                    "  data_dir: " + data,
                    "  key_dir: " + keys,
                    "  config_dir: " + dir,
                    ""));
            Path config = Files.writeString(dir.resolve("agent.yaml"), String.join("\n",
                    "schema: wattproof-agent/1",
                    "board: " + board,
                    "device_id: " + deviceId,
                    "location: test bench",
                    "key_store:",
                    "  kind: software",
                    "  dir: " + keys,
                    "  secret_file: " + secret,
                    "mqtt:",
                    "  broker: tcp://127.0.0.1:" + broker.port,
                    "ledger:",
                    "  chain_id: wattproof-sim",
                    ""));
            List<String> received = new ArrayList<>();
            List<String> telemetry = new ArrayList<>();
            MqttClient subscriber = new MqttClient("tcp://127.0.0.1:" + broker.port, "test-sub", new MemoryPersistence());
            subscriber.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    synchronized (received) {
                        if (topic.endsWith("/telemetry")) {
                            telemetry.add(new String(message.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                        } else {
                            received.add(topic);
                        }
                    }
                }

                @Override
                public void disconnected(MqttDisconnectResponse response) {}

                @Override
                public void mqttErrorOccurred(MqttException exception) {}

                @Override
                public void deliveryComplete(IMqttToken token) {}

                @Override
                public void connectComplete(boolean reconnect, String serverURI) {}

                @Override
                public void authPacketArrived(int reasonCode, MqttProperties properties) {}
            });
            subscriber.connect(new MqttConnectionOptions());
            // Not subscribe(topic, qos, listener): Paho 1.2.5's MqttClient recurses there forever.
            subscriber.subscribe("wattproof/v1/devices/" + deviceId + "/tx", 1);
            subscriber.subscribe("wattproof/v1/devices/" + deviceId + "/telemetry", 0);
            subscriber.subscribe("homeassistant/sensor/wattproof_" + deviceId + "/+/config", 0);

            Path log = dir.resolve("agent.log");
            Process agent = start(List.of("run", "--config", config.toString()), systemd.address(), runtime, log);
            try {
                String ready = systemd.awaitLine("READY=1", 60_000);
                assertTrue(ready.contains("STATUS=record "), ready);
                // WATCHDOG_USEC=2 s: a ping at least every second.
                systemd.awaitLine("WATCHDOG=1", 10_000);
                systemd.awaitLine("WATCHDOG=1", 10_000);

                awaitTrue(() -> {
                    synchronized (received) {
                        return received.stream().filter(t -> t.endsWith("/tx")).count() >= 2;
                    }
                }, 60_000, "two records at the broker; log: " + read(log));
                // The file's telemetry defaults: live values every 10 s and Home Assistant discovery (docs/telemetry.md).
                awaitTrue(() -> {
                    synchronized (received) {
                        return !telemetry.isEmpty();
                    }
                }, 30_000, "telemetry at the broker; log: " + read(log));
                synchronized (received) {
                    JsonNode live = new ObjectMapper().readTree(telemetry.get(0));
                    assertEquals("test bench", live.get("location").asText(), live.toString());
                    assertTrue(live.get("energy_import_kwh").isNumber(), live.toString());
                    assertEquals(5, received.stream().filter(t -> t.startsWith("homeassistant/sensor/")).distinct().count(),
                            received.toString());
                }

                JsonNode status = awaitStatus(runtime, log);
                assertEquals(deviceId, status.get("device_id").asText());
                assertEquals("test-pty", status.get("board").asText());
                assertEquals("test bench", status.get("location").asText());
                assertEquals(agent.pid(), status.get("pid").asLong());
                assertTrue(status.get("broker").get("connected").asBoolean(), status.toString());
                assertTrue(status.get("meter").get("description").asText().contains(pty.b().toString()), status.toString());

                // SIGTERM, as systemctl stop sends.
                agent.destroy();
                systemd.awaitLine("STOPPING=1", 30_000);
                assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the agent did not exit after SIGTERM; log: " + read(log));
                String output = read(log);
                assertTrue(output.contains("stopped device=" + deviceId), output);
            } finally {
                agent.destroyForcibly();
                subscriber.disconnect();
                subscriber.close();
            }
        }
    }

    private static JsonNode awaitStatus(Path runtime, Path log) throws Exception {
        Path file = runtime.resolve(StatusFile.NAME);
        awaitTrue(() -> Files.exists(file), 30_000, "status file in RUNTIME_DIRECTORY; log: " + read(log));
        JsonNode[] node = new JsonNode[1];
        awaitTrue(() -> {
            try {
                node[0] = new ObjectMapper().readTree(Files.readString(file));
                return node[0].get("records").get("last_sequence").asLong() >= 1;
            } catch (IOException e) {
                return false;
            }
        }, 30_000, "a status report with a record in it");
        return node[0];
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition c, long timeoutMillis, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if (c.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static Process start(List<String> args, String notifySocket, Path runtime, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.wattproof.agent.cli.MeterAgentCommand"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NOTIFY_SOCKET", notifySocket);
        pb.environment().put("WATCHDOG_USEC", "2000000");
        pb.environment().put("RUNTIME_DIRECTORY", runtime.toString());
        Process p = pb.start();
        // WATCHDOG_PID must name the process systemd started; here it is the child itself.
        return p;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A plain Mosquitto on a free port, for this test only. */
    private static final class Broker implements AutoCloseable {
        final Process process;
        final int port;

        private Broker(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Broker start(Path dir) throws Exception {
            if (!Files.isExecutable(MOSQUITTO)) {
                throw new IllegalStateException(MOSQUITTO + " not found: apt-get install mosquitto");
            }
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> conf = new ArrayList<>(List.of("listener " + port + " 127.0.0.1", "allow_anonymous true"));
            if ("root".equals(System.getProperty("user.name"))) {
                conf.add("user root"); // Mosquitto drops to user "mosquitto" otherwise, which cannot read our temp files.
            }
            Path file = Files.write(dir.resolve("mosquitto.conf"), conf);
            Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", file.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return new Broker(p, port);
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("mosquitto did not listen on " + port + ": " + read(dir.resolve("mosquitto.log")));
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
