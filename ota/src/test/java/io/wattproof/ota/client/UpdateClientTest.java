package io.wattproof.ota.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.install.SlotInstaller;
import io.wattproof.ota.install.SlotStore;
import io.wattproof.ota.install.Steps;
import io.wattproof.ota.metadata.TrustStore;
import io.wattproof.ota.metadata.Verdict;
import io.wattproof.ota.release.ReleaseSigning;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.Chunk;
import io.wattproof.ota.v1.ChunkRequest;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device's update shell end to end on real files: a device folder with two slots and a trust
 * store, release metadata signed by software release keys (threshold 2 of 3), and a server that
 * answers chunk requests from the images it holds. Restarts are played by building a new
 * installer and client on the same folder, as a new process would.
 */
class UpdateClientTest {
    private static final String BOARD = "raspberry-pi-4b";
    private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant IN_A_YEAR = T0.plus(Duration.ofDays(365));
    private static final HealthCheck HEALTH = new HealthCheck(Duration.ofSeconds(60));
    private static final HealthCheck.Probes HEALTHY = new HealthCheck.Probes(true, true, Optional.of(T0.plusSeconds(3600)));

    @TempDir
    static Path keys;

    private static DeviceKey k1;
    private static DeviceKey k2;
    private static DeviceKey k3;

    @TempDir
    Path dir;
    private Path device;
    private Instant now = T0;

    /** Images the server holds: name-version → bytes. */
    private final Map<String, byte[]> served = new HashMap<>();
    /** What the server does to each chunk before sending it (tests of a hostile channel). */
    private UnaryOperator<Chunk> tamper = UnaryOperator.identity();
    /** Requests are dropped while this is positive, one per request. */
    private int dropRequests;

    private final Deque<ChunkRequest> requests = new ArrayDeque<>();
    private final List<UpdateStatus> statuses = new ArrayList<>();
    private final List<String> restarts = new ArrayList<>();
    private UpdateClient client;
    private SlotInstaller installer;

    @BeforeAll
    static void releaseKeys() throws Exception {
        Path secret = keys.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        k1 = SoftwareKeyStore.create(keys.resolve("1"), KeyAlgorithm.ED25519, secret);
        k2 = SoftwareKeyStore.create(keys.resolve("2"), KeyAlgorithm.ECDSA_P256_SHA256, secret);
        k3 = SoftwareKeyStore.create(keys.resolve("3"), KeyAlgorithm.ED25519, secret);
    }

    private static byte[] image(long version) {
        byte[] b = new byte[200_000 + (int) version * 7];
        new Random(version).nextBytes(b);
        return b;
    }

    private static Root root1() {
        return ReleaseSigning.root(List.of(k1.verifyingKey(), k2.verifyingKey(), k3.verifyingKey()), 2, 1, IN_A_YEAR);
    }

    /** A device provisioned with version 1 in slot A and root 1 in its trust store, then started. */
    @BeforeEach
    void provisioned() throws Exception {
        device = dir.resolve("device");
        Files.createDirectories(device.resolve("slots/a"));
        Files.write(device.resolve("slots/a/image"), image(1));
        assertInstanceOf(Outcome.Done.class, new SlotStore(device, Steps.NONE).provision(1));
        assertInstanceOf(Verdict.Accepted.class, new TrustStore(device).provision(ReleaseSigning.sign(root1(), List.of(k1, k2)), false));
        boot();
    }

    private void boot() throws IOException {
        installer = new SlotInstaller(new SlotStore(device, Steps.NONE), 1);
        assertInstanceOf(Outcome.Done.class, installer.bootSlot());
        Running running = ((Outcome.Done<Running>) installer.running()).value();
        UpdateClient.Channel channel = new UpdateClient.Channel() {
            @Override
            public boolean request(ChunkRequest request) {
                return requests.add(request);
            }

            @Override
            public boolean status(UpdateStatus status) {
                return statuses.add(status);
            }
        };
        UpdateClient.Settings settings = UpdateClient.Settings.of(BOARD, device.resolve("download"), HEALTH)
                .withRequestTimeout(Duration.ofSeconds(5)).withRetryAfter(Duration.ofMinutes(10));
        client = new UpdateClient(settings, new TrustStore(device), installer, running, now, channel, restarts::add);
        client.connected(now);
    }

    private byte[] release(long targetsVersion, long imageVersion, DeviceKey... signers) throws Exception {
        return release(targetsVersion, imageVersion, 1, IN_A_YEAR, List.of(), BOARD, signers);
    }

    /** An announcement of targets {@code targetsVersion} listing image {@code imageVersion}, which the server then holds. */
    private byte[] release(long targetsVersion, long imageVersion, long rootVersion, Instant expires, List<byte[]> roots, String board,
            DeviceKey... signers) throws Exception {
        byte[] content = image(imageVersion);
        Path file = dir.resolve("agent-" + imageVersion + ".img");
        Files.write(file, content);
        served.put("agent-" + imageVersion, content);
        Image img = ReleaseSigning.image(file, "agent", imageVersion, List.of(board), 0);
        Targets targets = ReleaseSigning.targets(targetsVersion, expires, rootVersion, List.of(img));
        Announcement.Builder a = Announcement.newBuilder().setSignedTargets(ByteString.copyFrom(ReleaseSigning.sign(targets, List.of(signers))));
        roots.forEach(r -> a.addSignedRoots(ByteString.copyFrom(r)));
        return a.build().toByteArray();
    }

    /** Answers requests as the server would, until none is left or a restart was asked for. */
    private void pump() {
        while (!requests.isEmpty() && restarts.isEmpty()) {
            ChunkRequest r = requests.poll();
            if (dropRequests > 0) {
                dropRequests--;
                continue;
            }
            byte[] content = served.get(r.getImageName() + "-" + r.getImageVersion());
            int from = (int) r.getOffset();
            int to = Math.min(content.length, from + r.getMaxLength());
            Chunk c = Chunk.newBuilder().setImageName(r.getImageName()).setImageVersion(r.getImageVersion()).setOffset(from)
                    .setData(ByteString.copyFrom(content, from, to - from)).setLast(to == content.length).build();
            now = now.plusMillis(10);
            client.chunk(tamper.apply(c).toByteArray(), now);
        }
    }

    private UpdateStatus last() {
        return statuses.get(statuses.size() - 1);
    }

    private byte[] trustFile() throws IOException {
        return Files.readAllBytes(device.resolve(TrustStore.FILE));
    }

    private byte[] stateFile() throws IOException {
        return Files.readAllBytes(device.resolve("ota-state.bin"));
    }

    @Test
    void anAnnouncedReleaseIsDownloadedInstalledAndCommittedAfterAHealthyTrial() throws Exception {
        assertEquals(UpdatePhase.UPDATE_PHASE_IDLE, last().getPhase());
        client.announcement(release(1, 2, k1, k3), now);
        assertEquals(UpdatePhase.UPDATE_PHASE_DOWNLOADING, statuses.get(1).getPhase());
        pump();
        assertEquals(1, restarts.size());
        assertEquals(UpdatePhase.UPDATE_PHASE_TRIAL, last().getPhase());
        assertArrayEquals(image(2), Files.readAllBytes(device.resolve("slots/b/image")));
        assertEquals(List.of(), Files.list(device.resolve("download")).toList(), "the download is deleted once installed");

        restarts.clear();
        now = now.plusSeconds(5);
        boot();
        assertEquals(new Running(Slot.B, 2, true, 1, java.util.OptionalLong.empty()), client.running());
        client.tick(new HealthCheck.Probes(true, true, Optional.empty()), now.plusSeconds(1));
        assertEquals(UpdatePhase.UPDATE_PHASE_TRIAL, last().getPhase(), "no reading yet, still inside the window");
        client.tick(new HealthCheck.Probes(true, true, Optional.of(now.plusSeconds(2))), now.plusSeconds(3));
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, last().getPhase());
        assertEquals(2, last().getRunningVersion());
        assertEquals(2, last().getFloor());
        assertEquals(List.of(), restarts);

        // The same retained announcement after a reconnect changes nothing.
        int before = statuses.size();
        client.announcement(release(1, 2, k1, k3), now);
        assertTrue(requests.isEmpty());
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, last().getPhase());
        assertTrue(statuses.size() >= before);
        boot();
        assertEquals(new Running(Slot.B, 2, false, 2, java.util.OptionalLong.empty()), client.running());
    }

    @Test
    void anAnnouncementThatCameDuringTheTrialIsLookedAtOnceTheTrialIsCommitted() throws Exception {
        client.announcement(release(1, 2, k1, k2), now);
        pump();
        restarts.clear();
        boot();
        client.announcement(release(2, 3, k1, k2), now);
        assertTrue(requests.isEmpty(), "nothing is fetched while the trial is undecided");
        client.tick(HEALTHY, now);
        assertEquals(UpdatePhase.UPDATE_PHASE_DOWNLOADING, last().getPhase());
        assertEquals(3, last().getTargetVersion());
        pump();
        assertEquals(1, restarts.size());
        assertArrayEquals(image(3), Files.readAllBytes(device.resolve("slots/a/image")));
    }

    @Test
    void aTrialThatFailsItsHealthCheckRollsBackAndThatReleaseIsNotInstalledAgain() throws Exception {
        client.announcement(release(1, 2, k1, k2), now);
        pump();
        restarts.clear();
        boot();
        // Broker never reached: the window runs out.
        client.tick(new HealthCheck.Probes(true, false, Optional.empty()), now.plusSeconds(61));
        assertEquals(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, last().getPhase());
        assertTrue(last().getDetail().startsWith("health.brokerReachable: expected true, got false"), last().getDetail());
        assertEquals(1, restarts.size());

        restarts.clear();
        boot();
        assertEquals(new Running(Slot.A, 1, false, 1, java.util.OptionalLong.of(2)), client.running());
        assertEquals(UpdatePhase.UPDATE_PHASE_ROLLED_BACK, last().getPhase());
        assertEquals(2, last().getTargetVersion());
        client.announcement(release(1, 2, k1, k2), now);
        assertTrue(requests.isEmpty(), "the release that failed here is not fetched again");

        // A newer release is.
        client.announcement(release(2, 3, k2, k3), now);
        pump();
        assertEquals(1, restarts.size());
        assertArrayEquals(image(3), Files.readAllBytes(device.resolve("slots/b/image")));
    }

    @Test
    void metadataTheChecksRefuseStartsNoDownloadAndLeavesTheDeviceAsItWas() throws Exception {
        byte[] trust = trustFile();
        byte[] state = stateFile();
        client.announcement(release(1, 2, k1), now);
        assertEquals(UpdatePhase.UPDATE_PHASE_REFUSED, last().getPhase());
        assertTrue(last().getDetail().contains("threshold_not_met"), last().getDetail());
        client.announcement(release(1, 2, 1, now.minusSeconds(1), List.of(), BOARD, k1, k2), now);
        assertTrue(last().getDetail().contains("expired"), last().getDetail());
        client.announcement(release(1, 2, 1, IN_A_YEAR, List.of(), "another-board", k1, k2), now);
        assertTrue(last().getDetail().contains("wrong_board"), last().getDetail());
        client.announcement(new byte[] {1, 2, 3, (byte) 0xff}, now);
        assertTrue(last().getDetail().startsWith("announcement: expected an Announcement"), last().getDetail());
        client.announcement(new byte[70_000], now);
        assertTrue(last().getDetail().startsWith("announcement: expected at most 65536 bytes"), last().getDetail());
        assertTrue(requests.isEmpty());
        assertArrayEquals(state, stateFile());
        // The board refusal came after the targets were accepted: only the last targets moved.
        assertFalse(Arrays.equals(trust, trustFile()));
        assertEquals(List.of(), restarts);
    }

    @Test
    void olderTargetsReplayedAfterNewerOnesAreARollbackAndFetchNothing() throws Exception {
        byte[] old = release(1, 2, k1, k2);
        client.announcement(release(2, 3, k1, k2), now);
        requests.clear();
        boot();
        client.announcement(old, now);
        assertEquals(UpdatePhase.UPDATE_PHASE_REFUSED, last().getPhase());
        assertTrue(last().getDetail().contains("rollback"), last().getDetail());
        assertTrue(requests.isEmpty());
    }

    @Test
    void anEndlessStreamIsCutAtTheAnnouncedLengthAndNothingIsInstalled() throws Exception {
        byte[] state = stateFile();
        tamper = c -> c.getLast() ? c.toBuilder().setData(c.getData().concat(ByteString.copyFrom(new byte[100]))).setLast(false).build() : c;
        client.announcement(release(1, 2, k1, k2), now);
        pump();
        assertEquals(UpdatePhase.UPDATE_PHASE_REFUSED, last().getPhase());
        assertTrue(last().getDetail().contains("length"), last().getDetail());
        assertEquals(List.of(), restarts);
        assertArrayEquals(state, stateFile());
    }

    @Test
    void alteredBytesFailTheHashAndAreNeitherInstalledNorKept() throws Exception {
        byte[] state = stateFile();
        tamper = c -> c.getOffset() == 0 ? c.toBuilder().setData(ByteString.copyFrom(new byte[c.getData().size()])).build() : c;
        client.announcement(release(1, 2, k1, k2), now);
        pump();
        assertEquals(UpdatePhase.UPDATE_PHASE_REFUSED, last().getPhase());
        assertTrue(last().getDetail().contains("hash"), last().getDetail());
        assertEquals(List.of(), restarts);
        assertArrayEquals(state, stateFile());
        assertEquals(List.of(), Files.list(device.resolve("download")).toList());

        // After the retry delay the same accepted release is fetched again, now intact.
        tamper = UnaryOperator.identity();
        client.tick(HEALTHY, now.plus(Duration.ofMinutes(11)));
        pump();
        assertEquals(1, restarts.size());
    }

    @Test
    void aRequestWithoutAnAnswerIsSentAgainAfterTheTimeoutAndJunkChunksAreIgnored() throws Exception {
        client.announcement(release(1, 2, k1, k2), now);
        dropRequests = 1;
        pump();
        assertTrue(requests.isEmpty());
        client.chunk(new byte[] {9, 9, 9}, now);
        client.chunk(Chunk.newBuilder().setImageName("agent").setImageVersion(2).setOffset(12345).setData(ByteString.copyFromUtf8("x")).build()
                .toByteArray(), now);
        client.tick(HEALTHY, now.plusSeconds(4));
        assertTrue(requests.isEmpty(), "not yet");
        client.tick(HEALTHY, now.plusSeconds(5));
        assertEquals(1, client.requestsRepeated());
        pump();
        assertEquals(1, restarts.size());
    }

    @Test
    void aDownloadCutByARestartResumesWhereItStopped() throws Exception {
        client.announcement(release(1, 2, k1, k2), now);
        // Two of the four chunks arrive, then the power goes.
        for (int i = 0; i < 2; i++) {
            ChunkRequest only = requests.poll();
            byte[] content = served.get("agent-2");
            int from = (int) only.getOffset();
            client.chunk(Chunk.newBuilder().setImageName("agent").setImageVersion(2).setOffset(from)
                    .setData(ByteString.copyFrom(content, from, only.getMaxLength())).build().toByteArray(), now);
        }
        requests.clear();
        boot();
        client.announcement(release(1, 2, k1, k2), now);
        assertEquals(UpdatePhase.UPDATE_PHASE_DOWNLOADING, last().getPhase(), last().toString());
        assertEquals(2L * 64 * 1024, requests.peek().getOffset());
        pump();
        assertEquals(1, restarts.size());
        assertArrayEquals(image(2), Files.readAllBytes(device.resolve("slots/b/image")));
    }

    @Test
    void aRootRotationInTheAnnouncementIsAppliedBeforeTheTargetsItSigns() throws Exception {
        // Root 2 drops k1; signed by the old threshold (k1, k2) and the new one (k2, k3).
        Root root2 = ReleaseSigning.root(List.of(k2.verifyingKey(), k3.verifyingKey()), 2, 2, IN_A_YEAR);
        byte[] signedRoot2 = ReleaseSigning.sign(root2, List.of(k1, k2, k3));
        client.announcement(release(1, 2, 2, IN_A_YEAR, List.of(signedRoot2), BOARD, k2, k3), now);
        pump();
        assertEquals(1, restarts.size());
        // Root 2 stays in later announcements; once trusted it is skipped, not taken for a rollback.
        restarts.clear();
        boot();
        client.tick(HEALTHY, now);
        assertEquals(UpdatePhase.UPDATE_PHASE_UPDATED, last().getPhase());
        // The revoked key k1 no longer counts.
        client.announcement(release(2, 3, 2, IN_A_YEAR, List.of(signedRoot2), BOARD, k1, k2), now);
        assertTrue(last().getDetail().contains("threshold_not_met"), last().getDetail());
    }
}
