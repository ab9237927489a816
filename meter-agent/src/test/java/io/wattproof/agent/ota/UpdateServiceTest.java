package io.wattproof.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentStatus;
import io.wattproof.agent.uplink.LiveChannel;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.client.UpdateClient;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.SlotInstaller;
import io.wattproof.ota.install.SlotStore;
import io.wattproof.ota.install.Steps;
import io.wattproof.ota.metadata.ImageEntry;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.release.ReleaseSigning;
import io.wattproof.ota.transport.OtaTopics;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's update shell on a channel that records what it publishes, with a device folder on
 * real files and an agent status the test moves on: the topics it uses, and how the agent's
 * status becomes the health check's probes.
 */
class UpdateServiceTest {
    private static final String PREFIX = "wattproof/v1";
    private static final String DEVICE = "ab12cd";

    @TempDir
    Path dir;
    private final RecordingChannel channel = new RecordingChannel();
    private final AtomicLong sequence = new AtomicLong(5);
    private final List<String> restarts = new CopyOnWriteArrayList<>();
    private UpdateService service;

    record Published(String topic, byte[] payload, boolean retained) {}

    static final class RecordingChannel implements LiveChannel {
        final BlockingQueue<Published> published = new LinkedBlockingQueue<>();
        volatile Subscriber subscriber;

        @Override
        public void live(Subscriber s) {
            subscriber = s;
            s.connected();
        }

        @Override
        public boolean publishLive(String topic, byte[] payload, boolean retained) {
            return published.add(new Published(topic, payload, retained));
        }

        UpdateStatus nextStatus() throws Exception {
            while (true) {
                Published p = published.poll(10, TimeUnit.SECONDS);
                assertNotNull(p, "no status within 10 s");
                if (p.topic().equals(OtaTopics.status(PREFIX, DEVICE))) {
                    assertTrue(p.retained(), "a status is retained");
                    return UpdateStatus.parseFrom(p.payload());
                }
            }
        }
    }

    private AgentStatus status() {
        return new AgentStatus(DEVICE, sequence.get(), 0, true, 0, false, false, Optional.of(Instant.now()), Optional.of(Instant.now()),
                false, true, 0);
    }

    /** A device with release 1 in slot A, release 2 installed in slot B and started on trial. */
    private SlotInstaller onTrial(Path device) throws Exception {
        byte[] v1 = "release 1".getBytes();
        byte[] v2 = "release 2".getBytes();
        Files.createDirectories(device.resolve("slots/a"));
        Files.write(device.resolve("slots/a/image"), v1);
        SlotStore store = new SlotStore(device, Steps.NONE);
        store.provision(1);
        Path download = dir.resolve("v2");
        Files.write(download, v2);
        ImageEntry entry = new ImageEntry("agent", 2, List.of("board"), v2.length, MessageDigest.getInstance("SHA-256").digest(v2), 0);
        assertInstanceOf(Outcome.Done.class, new SlotInstaller(store, 1).install(download, entry));
        SlotInstaller restarted = new SlotInstaller(new SlotStore(device, Steps.NONE), 1);
        assertInstanceOf(Outcome.Done.class, restarted.bootSlot());
        return restarted;
    }

    private void start(SlotInstaller installer, Path device) throws Exception {
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        DeviceKey key = SoftwareKeyStore.create(dir.resolve("release-key"), KeyAlgorithm.ED25519, secret);
        byte[] root = ReleaseSigning.sign(ReleaseSigning.root(List.of(key.verifyingKey()), 1, 1, Instant.now().plus(Duration.ofDays(1))),
                List.of(key));
        assertInstanceOf(Verdict.Accepted.class, new TrustStore(device).provision(root, false));
        Running running = ((Outcome.Done<Running>) installer.running()).value();
        UpdateClient.Settings settings = UpdateClient.Settings.of("board", device.resolve("download"), new HealthCheck(Duration.ofMinutes(5)));
        service = UpdateService.start(this::status, channel, PREFIX, settings, new TrustStore(device), installer, running, Instant.now(),
                restarts::add, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void itListensOnTheFleetsAndItsOwnAnnouncementAndItsChunksAndReportsOnItsStatusTopic() throws Exception {
        Path device = dir.resolve("device");
        start(onTrial(device), device);
        assertEquals(List.of("wattproof/v1/ota/announce", "wattproof/v1/devices/ab12cd/ota/announce", "wattproof/v1/devices/ab12cd/ota/chunk"),
                channel.subscriber.subscriptions());
        assertEquals(UpdatePhase.UPDATE_PHASE_TRIAL, channel.nextStatus().getPhase());
    }

    @Test
    void aReadingSignedAfterTheTrialsBootCommitsIt() throws Exception {
        Path device = dir.resolve("device");
        start(onTrial(device), device);
        assertEquals(UpdatePhase.UPDATE_PHASE_TRIAL, channel.nextStatus().getPhase());
        // The agent, up and connected, signs its first reading of this run.
        sequence.incrementAndGet();
        UpdateStatus s = channel.nextStatus();
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, s.getPhase());
        assertEquals(2, s.getRunningVersion());
        assertEquals(2, s.getFloor());
        assertEquals(List.of(), restarts);
        SlotStore.Loaded loaded = new SlotStore(device, Steps.NONE).load();
        assertEquals(2, assertInstanceOf(SlotStore.Loaded.Found.class, loaded).state().floor().value());
    }

    @Test
    void junkOnTheAnnouncementTopicIsReportedAndTheServiceGoesOn() throws Exception {
        Path device = dir.resolve("device");
        SlotInstaller installer = onTrial(device);
        // Committed first, so that announcements are looked at.
        start(installer, device);
        channel.nextStatus();
        sequence.incrementAndGet();
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, channel.nextStatus().getPhase());
        channel.subscriber.arrived(OtaTopics.fleetAnnouncement(PREFIX), new byte[] {(byte) 0xff, 1, 2}, true);
        UpdateStatus s = channel.nextStatus();
        assertEquals(UpdatePhase.UPDATE_PHASE_REFUSED, s.getPhase());
        assertTrue(s.getDetail().startsWith("announcement: expected an Announcement"), s.getDetail());
        channel.subscriber.arrived(OtaTopics.announcement(PREFIX, DEVICE), new byte[OtaTopics.MAX_ANNOUNCEMENT_BYTES + 1], true);
        assertTrue(channel.nextStatus().getDetail().startsWith("announcement: expected at most"));
    }
}
