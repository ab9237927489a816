package io.wattproof.agent.daemon;

import static io.wattproof.agent.daemon.DaemonBench.awaitStatus;
import static io.wattproof.agent.daemon.DaemonBench.awaitTrue;
import static io.wattproof.agent.daemon.DaemonBench.read;
import static io.wattproof.agent.daemon.DaemonBench.startAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    @TempDir
    Path dir;

    @Test
    void runsAsANotifyServiceWithAWatchdogAndAStatusFile() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("run"));
        try (DaemonBench bench = DaemonBench.start(dir);
                NotifySocketReceiver systemd = NotifySocketReceiver.bind(dir.resolve("notify").toString())) {
            String deviceId = bench.deviceId();
            Path config = bench.writeConfig("location: test bench");
            List<String> received = new ArrayList<>();
            List<String> telemetry = new ArrayList<>();
            MqttClient subscriber = new MqttClient(bench.broker().uri(), "test-sub", new MemoryPersistence());
            subscriber.setCallback(new MqttCallback() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    synchronized (received) {
                        if (topic.endsWith("/telemetry")) {
                            telemetry.add(new String(message.getPayload(), StandardCharsets.UTF_8));
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
            Process agent = startAgent(config, systemd.address(), runtime, log);
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

                JsonNode status = awaitStatus(runtime, "a status report with a record in it; log: " + read(log),
                        s -> s.get("records").get("last_sequence").asLong() >= 1);
                assertEquals(deviceId, status.get("device_id").asText());
                assertEquals("test-pty", status.get("board").asText());
                assertEquals("test bench", status.get("location").asText());
                assertEquals(agent.pid(), status.get("pid").asLong());
                assertTrue(status.get("broker").get("connected").asBoolean(), status.toString());
                assertTrue(status.get("meter").get("description").asText().contains(bench.pty().b().toString()), status.toString());

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
}
