package io.wattproof.agent.telemetry;

import static io.wattproof.agent.telemetry.EnergyDayTest.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.meter.MeterSample;
import io.wattproof.agent.uplink.LiveChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell with a memory channel, a fixed clock and readings set by the test. */
class TelemetryPublisherTest {
    static final String ID = HomeAssistantDiscoveryTest.ID;
    static final ZoneId BERLIN = EnergyDayTest.BERLIN;
    static final String TELEMETRY = "wattproof/v1/devices/" + ID + "/telemetry";

    @TempDir
    Path dir;

    record Published(String topic, String payload, boolean retained) {}

    /** Records what is published while "connected"; the test connects and sends messages. */
    static final class MemoryChannel implements LiveChannel {
        final BlockingQueue<Published> published = new LinkedBlockingQueue<>();
        volatile Subscriber listener;
        volatile boolean connected;

        @Override
        public void live(Subscriber l) {
            listener = l;
            if (l != null && connected) {
                l.connected();
            }
        }

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            if (!connected) {
                return false;
            }
            published.add(new Published(topic, new String(payload, StandardCharsets.UTF_8), retained));
            return true;
        }

        void connect() {
            connected = true;
            listener.connected();
        }

        void disconnect() {
            connected = false;
            listener.disconnected();
        }

        Published next() throws InterruptedException {
            Published p = published.poll(10, TimeUnit.SECONDS);
            assertNotNull(p, "nothing published within 10 s");
            return p;
        }

        Published nextOn(String topic) throws InterruptedException {
            while (true) {
                Published p = next();
                if (p.topic().equals(topic)) {
                    return p;
                }
            }
        }
    }

    private TelemetrySettings settings(boolean homeAssistant) {
        return new TelemetrySettings(Duration.ofMillis(50), homeAssistant, Optional.of("Garage"), "test-board", "9.9.9", BERLIN, dir,
                Duration.ofSeconds(10), "wattproof/v1", "homeassistant");
    }

    private static final AgentStatus ONLINE = new AgentStatus(ID, 3, 0, true, 0, false, false);

    @Test
    void nothingIsPublishedBeforeTheMeterHasBeenReadThenRealValues() throws Exception {
        AtomicReference<Optional<MeterSample>> latest = new AtomicReference<>(Optional.empty());
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000, -800);
        Clock clock = Clock.fixed(s.readAt().plusSeconds(1), ZoneOffset.UTC);
        MemoryChannel channel = new MemoryChannel();
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, latest::get, () -> ONLINE, channel, settings(false), clock)) {
            channel.connect();
            // Many periods pass; without a reading there is nothing to publish.
            Thread.sleep(300);
            assertNull(channel.published.poll(), "published before the meter was read");
            latest.set(Optional.of(s));
            Published first = channel.next();
            assertEquals(TELEMETRY, first.topic());
            assertFalse(first.retained());
            JsonNode j = new ObjectMapper().readTree(first.payload());
            assertEquals(-800.0, j.get("power_w").asDouble());
            assertEquals(1000.0, j.get("energy_import_kwh").asDouble());
            assertEquals(0.0, j.get("energy_today_kwh").asDouble());
            assertTrue(j.get("today_partial").asBoolean(), "the first reading ever starts a partial day");
            assertEquals("Garage", j.get("location").asText());
        }
    }

    @Test
    void onlyWhileConnected() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000);
        MemoryChannel channel = new MemoryChannel();
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(false),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            Thread.sleep(200);
            assertNull(channel.published.poll());
            channel.connect();
            assertEquals(TELEMETRY, channel.next().topic());
            channel.disconnect();
            Thread.sleep(200); // let a tick already under way finish
            channel.published.clear();
            Thread.sleep(200);
            assertNull(channel.published.poll(), "published while disconnected");
        }
    }

    @Test
    void aRestartMidDayCountsFromTheSavedStartOfTheDay() throws Exception {
        // The agent ran this morning: midnight's register was saved.
        DayStart morning = new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, Instant.parse("2026-11-26T23:00:00Z"), false);
        DayStartFile.write(dir, morning, BERLIN);
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_006_500);
        MemoryChannel channel = new MemoryChannel();
        channel.connected = true;
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(false),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            JsonNode j = new ObjectMapper().readTree(channel.next().payload());
            assertEquals(6.5, j.get("energy_today_kwh").asDouble());
            assertFalse(j.get("today_partial").asBoolean());
            assertEquals("2026-11-26T23:00:00Z", j.get("today_since").asText());
        }
        assertEquals(new DayStartFile.Found(morning), DayStartFile.read(dir, BERLIN), "the saved start is unchanged");
    }

    @Test
    void aNewDayIsSavedSoThatARestartKeepsIt() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000);
        MemoryChannel channel = new MemoryChannel();
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(false),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(dir.resolve(DayStartFile.FILE_NAME)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertEquals(new DayStartFile.Found(new DayStart(LocalDate.of(2026, 11, 27), 1_000_000, s.readAt(), true)),
                DayStartFile.read(dir, BERLIN));
    }

    @Test
    void aBadDayFileIsIgnoredAndReplaced() throws Exception {
        Files.writeString(dir.resolve(DayStartFile.FILE_NAME), "garbage\n");
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000);
        MemoryChannel channel = new MemoryChannel();
        channel.connected = true;
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(false),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            JsonNode j = new ObjectMapper().readTree(channel.next().payload());
            assertEquals(0.0, j.get("energy_today_kwh").asDouble());
            assertTrue(j.get("today_partial").asBoolean());
        }
        assertTrue(DayStartFile.read(dir, BERLIN) instanceof DayStartFile.Found);
    }

    @Test
    void discoveryOnConnectAndAgainWhenHomeAssistantSaysItIsOnline() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000);
        MemoryChannel channel = new MemoryChannel();
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(true),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            assertEquals(List.of("homeassistant/status"), channel.listener.subscriptions());
            channel.connect();
            List<String> configs = configsUntilTelemetry(channel);
            assertEquals(5, configs.size(), configs.toString());
            assertTrue(configs.contains("homeassistant/sensor/wattproof_" + ID + "/energy_import/config"));

            // A retained birth only repeats what the connect answered; a live one is a restart.
            channel.listener.arrived("homeassistant/status", "online".getBytes(StandardCharsets.UTF_8), true);
            channel.listener.arrived("homeassistant/status", "offline".getBytes(StandardCharsets.UTF_8), false);
            Thread.sleep(200);
            channel.published.clear();
            channel.listener.arrived("homeassistant/status", "online".getBytes(StandardCharsets.UTF_8), false);
            assertEquals(5, configsUntilTelemetry(channel).size());
        }
    }

    @Test
    void withoutHomeAssistantNoDiscoveryAndNoSubscription() throws Exception {
        MeterSample s = sample("2026-11-27T12:00:00Z", 1_000_000);
        MemoryChannel channel = new MemoryChannel();
        try (TelemetryPublisher p = TelemetryPublisher.start(ID, () -> Optional.of(s), () -> ONLINE, channel, settings(false),
                Clock.fixed(s.readAt(), ZoneOffset.UTC))) {
            assertEquals(List.of(), channel.listener.subscriptions());
            channel.connect();
            assertEquals(TELEMETRY, channel.next().topic());
        }
    }

    /** Config topics (retained) published before the next telemetry message. */
    private static List<String> configsUntilTelemetry(MemoryChannel channel) throws InterruptedException {
        List<String> configs = new java.util.ArrayList<>();
        while (true) {
            Published p = channel.next();
            if (p.topic().equals(TELEMETRY)) {
                return configs;
            }
            assertTrue(p.retained(), p.topic());
            configs.add(p.topic());
        }
    }
}
