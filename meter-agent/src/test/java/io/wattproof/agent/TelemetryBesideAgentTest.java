package io.wattproof.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.record.FirmwareIdentity;
import io.wattproof.agent.telemetry.TelemetryPublisher;
import io.wattproof.agent.telemetry.TelemetrySettings;
import io.wattproof.agent.uplink.LiveChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry that cannot get its messages out never holds up the records. */
class TelemetryBesideAgentTest {
    @TempDir
    Path dataDir;

    /** A channel whose every publish hangs, like a socket to a broker that stopped reading. */
    static final class StuckChannel implements LiveChannel {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void live(Subscriber subscriber) {
            if (subscriber != null) {
                subscriber.connected();
            }
        }

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Test
    void aStuckTelemetryPublishDoesNotStopSigningAndSending() throws Exception {
        AgentConfig config = AgentConfig.builder(dataDir)
                .chainId("test-chain")
                .interval(Duration.ofSeconds(1))
                .meterSerial("42")
                .firmware(new FirmwareIdentity("0.1.0", new byte[32]))
                .build();
        MeterAgentTest.MemoryUplink uplink = new MeterAgentTest.MemoryUplink(true);
        StuckChannel channel = new StuckChannel();
        TelemetrySettings settings = new TelemetrySettings(Duration.ofMillis(100), true, Optional.empty(), "test-board", "9.9.9",
                ZoneId.of("UTC"), dataDir, config.samplePeriod(), "wattproof/v1", "homeassistant");
        try (MeterAgent agent = MeterAgent.start(config, new TestDeviceKey(), new MeterAgentTest.CountingMeter(), uplink,
                        Clock.systemUTC());
                TelemetryPublisher telemetry = TelemetryPublisher.start(agent, channel, settings, Clock.systemUTC())) {
            assertTrue(channel.entered.await(10, TimeUnit.SECONDS), "telemetry never tried to publish");
            // The telemetry thread is now stuck inside a publish; records must go on regardless.
            long stuckAt = agent.status().lastSequence();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (agent.status().lastSequence() < stuckAt + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(agent.status().lastSequence() >= stuckAt + 2, "records stopped: " + agent.status());
            assertTrue(uplink.sent.keySet().containsAll(List.of(stuckAt + 1, stuckAt + 2)), "records not sent: " + uplink.sent.keySet());
            channel.release.countDown();
        }
    }
}
