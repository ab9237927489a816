package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentConfig;
import io.wattproof.agent.MeterAgent;
import io.wattproof.agent.TestDeviceKey;
import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.agent.driver.TestMosquitto;
import io.wattproof.agent.meter.MeterReadException;
import io.wattproof.agent.meter.MeterSnapshot;
import io.wattproof.agent.meter.MeterSource;
import io.wattproof.agent.ota.UpdateService;
import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.uplink.LiveChannelFanOut;
import io.wattproof.agent.uplink.MqttUplink;
import io.wattproof.agent.uplink.MqttUplinkConfig;
import io.wattproof.ota.install.RaucInstaller;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's update shell beside a metering agent on a real Mosquitto, with the stand-in rauc and
 * reboot command of {@link OtaStandIns}: a new version on trial that meters is marked good and
 * says so on its status topic; one that signs no reading within its window is marked bad and the
 * device reboots into the good slot.
 */
@Timeout(90)
class DaemonUpdatesIT {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @TempDir
    Path dir;
    OtaStandIns tools;
    Path data;

    @BeforeEach
    void aDeviceAfterAnInstallOfVersion2BootedIntoSlotB() throws Exception {
        tools = new OtaStandIns(dir);
        data = dir.resolve("data");
        Path state = data.resolve("ota");
        tools.trust(state);
        new RaucInstaller(tools.rauc, state, 1).install(dir.resolve("update.raucb"), OtaStandIns.image(2));
        tools.booted("B");
    }

    private DeviceConfig.Ota ota() {
        return new DeviceConfig.Ota(tools.rauc, Optional.empty(), Optional.of(Duration.ofMinutes(1)),
                List.of(tools.reboot.toString(), "ota"), Optional.empty(), 1);
    }

    /** A meter whose import register rises 1 Wh a read, or one that never answers. */
    private record Meter(boolean answers, AtomicLong wh) implements MeterSource {
        @Override
        public MeterSnapshot read() throws MeterReadException {
            if (!answers) {
                throw new MeterReadException("no answer on the line");
            }
            return new MeterSnapshot(wh.incrementAndGet() / 1000.0, 0, 0, new double[] {230}, new double[] {0});
        }

        @Override
        public String model() {
            return "TEST";
        }

        @Override
        public void close() {}
    }

    private record Device(MeterAgent agent, UpdateService updates, String id) implements AutoCloseable {
        @Override
        public void close() {
            updates.close();
            agent.close();
        }
    }

    /** As run --config wires it: what booted first, then the agent, then the shell on its own view of the live channel. */
    private Device start(TestMosquitto broker, boolean meterAnswers, Clock bootClock, List<String> alarms) throws Exception {
        DaemonUpdates.Boot boot = DaemonUpdates.boot(ota(), "raspberry-pi-4b", INTERVAL, data, bootClock, alarms)
                .orElseThrow(() -> new AssertionError(alarms.toString()));
        assertTrue(boot.running().trial(), boot.running().toString());
        TestDeviceKey key = new TestDeviceKey();
        AgentConfig config = AgentConfig.builder(data).chainId("wattproof-sim").interval(INTERVAL).meterSerial("1")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32])).build();
        MqttUplink uplink = new MqttUplink(MqttUplinkConfig.of(broker.uri(), key.deviceId().hex()));
        MeterAgent agent = MeterAgent.start(config, key, new Meter(meterAnswers, new AtomicLong()), uplink, Clock.systemUTC());
        // So that the probe that fails is the one the test means: the loop runs and the broker is there.
        awaitTrue(() -> agent.status().lastTickAt().isPresent() && agent.status().connected(), "the agent metering and connected");
        LiveChannelFanOut live = new LiveChannelFanOut(uplink);
        live.attach(); // telemetry's view, as in the daemon: the shell shares the channel
        UpdateService updates = DaemonUpdates.start(boot, agent, live.attach(), MqttUplinkConfig.DEFAULT_TOPIC_PREFIX, Clock.systemUTC(),
                alarms).orElseThrow(() -> new AssertionError(alarms.toString()));
        return new Device(agent, updates, key.deviceId().hex());
    }

    @Test
    void aTrialThatMetersIsMarkedGoodAndSaysSoAtTheBroker() throws Exception {
        List<String> alarms = new ArrayList<>();
        try (TestMosquitto broker = TestMosquitto.start(dir);
                Device device = start(broker, true, Clock.systemUTC(), alarms)) {
            awaitTrue(() -> tools.raucCalls().contains("status mark-good booted"), "mark-good; rauc calls: " + tools.raucCalls());
            awaitTrue(() -> device.updates().status().getPhase() == UpdatePhase.UPDATE_PHASE_UPDATED, "the status UPDATED");
            assertEquals(List.of(), alarms);
            assertEquals(List.of(), tools.reboots(), "a good trial needs no reboot");
            assertEquals(1, tools.raucCalls().stream().filter(c -> c.startsWith("status mark-")).count(), tools.raucCalls().toString());

            UpdateStatus retained = retainedStatus(broker, device.id());
            assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, retained.getPhase(), retained.toString());
            assertEquals(2, retained.getRunningVersion());
            assertEquals(2, retained.getFloor(), "the floor rose with the commit");
        }
    }

    @Test
    void aTrialThatSignsNoReadingInItsWindowIsMarkedBadAndTheDeviceReboots() throws Exception {
        List<String> alarms = new ArrayList<>();
        // The boot is dated beyond the 1-minute window, so the window is over at the first look
        // (a health check is never timed in a test); the meter never answers, so no reading is signed.
        Clock bootedLongAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2));
        try (TestMosquitto broker = TestMosquitto.start(dir);
                Device device = start(broker, false, bootedLongAgo, alarms)) {
            awaitTrue(() -> !tools.reboots().isEmpty(), "the reboot command; rauc calls: " + tools.raucCalls());
            assertEquals(List.of("ota"), tools.reboots());
            assertTrue(tools.raucCalls().contains("status mark-bad booted"), tools.raucCalls().toString());
            assertTrue(!tools.raucCalls().contains("status mark-good booted"), tools.raucCalls().toString());
            UpdateStatus status = device.updates().status();
            assertEquals(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, status.getPhase(), status.toString());
            assertTrue(status.getDetail().startsWith("health.lastSignedReading: expected at or after boot "), status.getDetail());
            assertEquals(List.of(), alarms);
        }
        // The reboot: the boot loader starts slot A again, and the device knows version 2 failed, so
        // the retained announcement does not make it install that version again.
        tools.booted("A");
        DaemonUpdates.Boot again = DaemonUpdates.boot(ota(), "raspberry-pi-4b", INTERVAL, data, Clock.systemUTC(), alarms).orElseThrow();
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.of(2)), again.running());
    }

    private static UpdateStatus retainedStatus(TestMosquitto broker, String deviceId) throws Exception {
        BlockingQueue<byte[]> arrived = new ArrayBlockingQueue<>(16);
        MqttClient client = new MqttClient(broker.uri(), "test-status", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.offer(message.getPayload());
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
        try {
            client.connect(new MqttConnectionOptions());
            // Not subscribe(topic, qos, listener): Paho 1.2.5's MqttClient recurses there.
            client.subscribe(OtaTopics.status(MqttUplinkConfig.DEFAULT_TOPIC_PREFIX, deviceId), 1);
            // The retained status comes at once; a later one replaces it, so the last within a moment counts.
            UpdateStatus last = null;
            for (byte[] p = arrived.poll(10, TimeUnit.SECONDS); p != null; p = arrived.poll(500, TimeUnit.MILLISECONDS)) {
                last = UpdateStatus.parseFrom(p);
                if (last.getPhase() == UpdatePhase.UPDATE_PHASE_UPDATED) {
                    break;
                }
            }
            if (last == null) {
                throw new AssertionError("no retained status at the broker");
            }
            return last;
        } finally {
            client.disconnect();
            client.close();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Condition c, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (c.holds()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }
}
