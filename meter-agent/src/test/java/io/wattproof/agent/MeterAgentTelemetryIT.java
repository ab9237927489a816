package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.telemetry.TelemetryPublisher;
import io.wattproof.agent.telemetry.TelemetrySettings;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running agent with live telemetry against Debian's Mosquitto over plain TCP, watched by a
 * client that subscribes as Home Assistant does: retained discovery configs, telemetry with the
 * meter's values, records still signed and acknowledged beside it, and discovery again after
 * Home Assistant's birth message.
 */
class MeterAgentTelemetryIT {
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path dir;
    private Process broker;

    record Received(String topic, String payload, boolean retained) {}

    private int startBroker() throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            fail(MOSQUITTO + " is missing: install it with 'apt-get install mosquitto'");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path conf = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "user " + System.getProperty("user.name"),
                "persistence false",
                "log_dest stderr",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                ""));
        Path log = dir.resolve("mosquitto.log");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                fail("mosquitto exited with " + broker.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        fail("mosquitto did not listen on " + port + ": " + Files.readString(log));
        return port;
    }

    @AfterEach
    void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(10, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    /** A subscriber in the role of Home Assistant. */
    static MqttAsyncClient subscriber(int port, BlockingQueue<Received> into, String... filters) throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient("tcp://127.0.0.1:" + port, "ha-" + System.nanoTime(), new MemoryPersistence());
        c.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {}

            @Override
            public void mqttErrorOccurred(MqttException exception) {}

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                into.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.isRetained()));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
        c.connect(new MqttConnectionOptions()).waitForCompletion(10_000);
        for (String f : filters) {
            c.subscribe(f, 1).waitForCompletion(10_000);
        }
        return c;
    }

    static Received next(BlockingQueue<Received> q, String topicPrefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Received r = q.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (r != null && r.topic().startsWith(topicPrefix)) {
                return r;
            }
        }
        fail("nothing on " + topicPrefix + " within 15 s");
        return null;
    }

    static List<String> configs(BlockingQueue<Received> q, int n, boolean retained) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        while (topics.size() < n) {
            Received r = next(q, "homeassistant/sensor/");
            assertEquals(retained, r.retained(), r.topic());
            topics.add(r.topic());
        }
        return topics;
    }

    @Test
    void homeAssistantSeesTheMeterWithRealValuesAndGetsDiscoveryAgainAfterItsBirth() throws Exception {
        int port = startBroker();
        TestDeviceKey key = new TestDeviceKey();
        String id = key.deviceId().hex();
        String telemetry = "wattproof/v1/devices/" + id + "/telemetry";
        BlockingQueue<Received> atHa = new LinkedBlockingQueue<>();
        MqttAsyncClient ha = subscriber(port, atHa, "homeassistant/sensor/#", telemetry);

        AgentConfig config = AgentConfig.builder(dir.resolve("data"))
                .chainId("test-chain")
                .interval(Duration.ofSeconds(1))
                .meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .build();
        Files.createDirectories(config.dataDir());
        MeterAgentTest.CountingMeter meter = new MeterAgentTest.CountingMeter();
        MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of("tcp://127.0.0.1:" + port, id)
                .withReconnectDelays(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(60)));
        TelemetrySettings settings = new TelemetrySettings(Duration.ofSeconds(1), true, Optional.of("Garage"), "test-board", "9.9.9",
                ZoneId.systemDefault(), config.dataDir(), config.samplePeriod(), "wattproof/v1", "homeassistant");
        try (MeterAgent agent = MeterAgent.start(config, key, meter, uplink, Clock.systemUTC());
                TelemetryPublisher telemetryPublisher = TelemetryPublisher.start(agent, uplink, settings, Clock.systemUTC())) {
            List<String> announced = configs(atHa, 5, false);
            assertTrue(announced.contains("homeassistant/sensor/wattproof_" + id + "/energy_import/config"), announced.toString());
            assertTrue(announced.contains("homeassistant/sensor/wattproof_" + id + "/energy_today/config"), announced.toString());

            JsonNode values = new ObjectMapper().readTree(next(atHa, telemetry).payload());
            // CountingMeter: 1 Wh more per read, 3600 W. A value exists only after a read.
            double importKwh = values.get("energy_import_kwh").asDouble();
            assertTrue(importKwh >= 0.001 && importKwh <= meter.reads.get() / 1000.0, values.toString());
            assertEquals(3600.0, values.get("power_w").asDouble());
            assertEquals("online", values.get("status").asText());
            assertEquals("Garage", values.get("location").asText());
            assertTrue(values.get("energy_today_kwh").asDouble() >= 0);
            JsonNode later = new ObjectMapper().readTree(next(atHa, telemetry).payload());
            assertTrue(later.get("energy_import_kwh").asDouble() >= importKwh, "the register never falls");

            // Records go on beside telemetry.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (agent.status().lastSequence() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(agent.status().lastSequence() >= 2, agent.status().toString());

            // A Home Assistant starting now finds the configs retained.
            BlockingQueue<Received> late = new LinkedBlockingQueue<>();
            MqttAsyncClient lateHa = subscriber(port, late, "homeassistant/sensor/wattproof_" + id + "/#");
            assertEquals(5, configs(late, 5, true).size());
            lateHa.disconnect().waitForCompletion(5_000);
            lateHa.close();

            // Home Assistant restarted: its birth message makes the device announce again.
            atHa.clear();
            ha.publish("homeassistant/status", new MqttMessage("online".getBytes(StandardCharsets.UTF_8))).waitForCompletion(10_000);
            assertEquals(5, configs(atHa, 5, false).size());

            agent.stopMetering();
            assertTrue(agent.awaitDrained(Duration.ofSeconds(10)), "records acknowledged");
        } finally {
            ha.disconnect().waitForCompletion(5_000);
            ha.close();
        }
        assertTrue(Files.exists(config.dataDir().resolve("telemetry-day")), "the day start is kept for a restart");
        assertFalse(Files.exists(config.dataDir().resolve("telemetry-day.new")));
    }
}
