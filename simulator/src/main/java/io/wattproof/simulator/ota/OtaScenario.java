package io.wattproof.simulator.ota;

import com.google.protobuf.ByteString;
import io.wattproof.agent.ota.UpdateServer;
import io.wattproof.crypto.DeviceKey;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.KeyStoreFailure;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.install.HealthCheck;
import io.wattproof.ota.release.ReleaseSigning;
import io.wattproof.ota.v1.Announcement;
import io.wattproof.ota.v1.Image;
import io.wattproof.ota.v1.Root;
import io.wattproof.ota.v1.Targets;
import io.wattproof.ota.v1.UpdatePhase;
import io.wattproof.ota.v1.UpdateStatus;
import io.wattproof.simulator.fleet.SimulatedDevice;
import io.wattproof.simulator.meter.VirtualMeter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --scenario ota} and {@code ota-bad-health} (docs/ota.md, "Simulator"): the simulator is
 * the release team and the update server. It holds three release keys and a root that needs two of
 * them; every device is provisioned with that root and release 1 in slot A. Once the fleet is
 * metering, a new release is built, its targets signed by two keys, and the announcement published
 * to the whole fleet; each device's update shell verifies it, fetches the image in chunks, installs
 * it to slot B, restarts into it and lets its health check decide. In {@code ota-bad-health} the
 * release addresses the meter at the wrong Modbus unit, so it signs no reading: every device must
 * roll back to slot A and sign readings again.
 *
 * <p>The release keys, the root and the number of the last release live in {@code
 * <run>/ota-release}, so a second run on the same folder ships the next release to devices that
 * trust the same root.
 */
public final class OtaScenario implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OtaScenario.class);

    /** The board name every simulated device reports; images list it as compatible. */
    public static final String BOARD = "simulator";
    /** An image takes four chunks of 64 KiB. */
    public static final int IMAGE_SIZE = 200 * 1024;
    public static final String IMAGE_NAME = "wattproof-agent";
    private static final int THRESHOLD = 2;

    /** Which release the scenario ships. */
    public enum Kind {
        /** A sound release: every device must update. */
        HEALTHY,
        /** A release that cannot read the meter: every device must roll back. */
        BAD_HEALTH
    }

    /** What the scenario ends with. */
    public record Counts(long release, int updated, int rolledBack, int signingAfterRollback, int devices) {}

    private final Kind kind;
    private final Path folder;
    private final List<DeviceKey> keys;
    private final byte[] signedRoot;
    private final Duration healthWindow;
    private List<SimulatedDevice> devices = List.of();
    private UpdateServer server;
    private Thread releaser;
    private volatile long release;
    private volatile String failure;

    private OtaScenario(Kind kind, Path folder, List<DeviceKey> keys, byte[] signedRoot, Duration healthWindow) {
        this.kind = kind;
        this.folder = folder;
        this.keys = keys;
        this.signedRoot = signedRoot;
        this.healthWindow = healthWindow;
    }

    /**
     * The release team's side, before any device starts: three release keys and root 1 with a
     * threshold of two (created on the first run, read again later).
     *
     * @param interval the agents' metering interval: a trial's first reading comes within two
     */
    public static OtaScenario prepare(Kind kind, Path runFolder, Duration interval, Instant now) throws IOException, KeyStoreFailure {
        Path folder = runFolder.resolve("ota-release");
        Path secret = folder.resolve("keys").resolve("secret");
        Files.createDirectories(secret.getParent());
        SoftwareKeyStore.createSecret(secret);
        List<DeviceKey> keys = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path dir = folder.resolve("keys").resolve("release-" + i);
            keys.add(Files.exists(dir.resolve(SoftwareKeyStore.PRIVATE_KEY_FILE)) ? SoftwareKeyStore.open(dir, secret)
                    : SoftwareKeyStore.create(dir, KeyAlgorithm.ED25519, secret));
        }
        Path rootFile = folder.resolve("root-1.bin");
        if (!Files.exists(rootFile)) {
            Root root = ReleaseSigning.root(keys.stream().map(DeviceKey::verifyingKey).toList(), THRESHOLD, 1, now.plus(Duration.ofDays(365)));
            Files.write(rootFile, ReleaseSigning.sign(root, keys));
        }
        // Long enough for the agent to connect and sign its first reading at the next boundary or the one after.
        Duration window = Duration.ofSeconds(Math.max(10, 3 * interval.toSeconds() + 5));
        return new OtaScenario(kind, folder, keys, Files.readAllBytes(rootFile), window);
    }

    /** What each device needs to take updates: the root, release 1 as its factory image, the health check. */
    public SimulatedDevice.UpdateParts deviceParts() {
        return new SimulatedDevice.UpdateParts(BOARD, signedRoot, new SimulatedFirmware(1, VirtualMeter.UNIT_ID), IMAGE_SIZE,
                new HealthCheck(healthWindow), Duration.ofSeconds(2));
    }

    /**
     * Starts the update server and, after {@code after}, ships the next release to the fleet.
     */
    public void start(List<SimulatedDevice> fleet, String brokerUri, String prefix, Duration after, Clock clock) throws Exception {
        this.devices = List.copyOf(fleet);
        this.server = new UpdateServer(UpdateServer.Settings.of(brokerUri, prefix), clock);
        this.releaser = Thread.ofPlatform().daemon().name("ota-release").start(() -> {
            try {
                Thread.sleep(after.toMillis());
                ship(clock.instant());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = "the release could not be shipped: " + e;
                log.error("release not shipped", e);
            }
        });
    }

    private void ship(Instant now) throws Exception {
        Path counter = folder.resolve("last-release");
        long last = Files.exists(counter) ? Long.parseLong(Files.readString(counter, StandardCharsets.US_ASCII).strip()) : 1;
        long next = last + 1;
        int unit = kind == Kind.HEALTHY ? VirtualMeter.UNIT_ID : VirtualMeter.UNIT_ID + 1;
        byte[] image = new SimulatedFirmware(next, unit).image(IMAGE_SIZE);
        Path file = folder.resolve(IMAGE_NAME + "-" + next);
        Files.write(file, image);
        Image entry = ReleaseSigning.image(file, IMAGE_NAME, next, List.of(BOARD), 0);
        // The targets version follows the release number: one targets body per version, across runs too.
        Targets targets = ReleaseSigning.targets(next, now.plus(Duration.ofDays(30)), 1, List.of(entry));
        byte[] signed = ReleaseSigning.sign(targets, keys.subList(0, THRESHOLD));
        Files.writeString(counter, Long.toString(next), StandardCharsets.US_ASCII);
        server.serve(IMAGE_NAME, next, file);
        server.announceToFleet(Announcement.newBuilder().setSignedTargets(ByteString.copyFrom(signed)).build());
        release = next;
        log.info("release {} ({}) announced to the fleet", next, kind == Kind.HEALTHY ? "sound" : "unable to read the meter");
    }

    /** The release shipped, 0 before. */
    public long release() {
        return release;
    }

    private boolean settled(SimulatedDevice d, long r) {
        Optional<UpdateStatus> s = d.updateStatus();
        if (s.isEmpty() || s.get().getTargetVersion() != r) {
            return false;
        }
        return switch (kind) {
            case HEALTHY -> s.get().getPhase() == UpdatePhase.UPDATE_PHASE_UPDATED;
            case BAD_HEALTH -> s.get().getPhase() == UpdatePhase.UPDATE_PHASE_ROLLED_BACK && signedSinceLastBoot(d);
        };
    }

    /** Whether the device signed a reading since its last start, which for a rolled-back device is the start into the old slot. */
    private static boolean signedSinceLastBoot(SimulatedDevice d) {
        List<SimulatedDevice.Boot> boots = d.boots();
        if (boots.isEmpty() || d.status() == null) {
            return false;
        }
        SimulatedDevice.Boot last = boots.get(boots.size() - 1);
        return !last.trial() && d.status().lastSequence() > last.sequenceAtBoot();
    }

    /** Waits until every device has reached the scenario's outcome, or the deadline ({@link System#nanoTime()}). */
    public void awaitOutcome(long deadlineNanos) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            long r = release;
            if (r != 0 && devices.stream().allMatch(d -> settled(d, r))) {
                return;
            }
            Thread.sleep(200);
        }
    }

    public Counts counts() {
        long r = release;
        int updated = 0;
        int rolledBack = 0;
        int signing = 0;
        for (SimulatedDevice d : devices) {
            Optional<UpdateStatus> s = d.updateStatus();
            if (r == 0 || s.isEmpty() || s.get().getTargetVersion() != r) {
                continue;
            }
            if (s.get().getPhase() == UpdatePhase.UPDATE_PHASE_UPDATED) {
                updated++;
            } else if (s.get().getPhase() == UpdatePhase.UPDATE_PHASE_ROLLED_BACK) {
                rolledBack++;
                if (signedSinceLastBoot(d)) {
                    signing++;
                }
            }
        }
        return new Counts(r, updated, rolledBack, signing, devices.size());
    }

    /** Why the scenario could not run, if it could not. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** The progress line's tail. */
    public String progress() {
        Counts c = counts();
        return " release=" + c.release() + " updated=" + c.updated() + " rolled_back=" + c.rolledBack();
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public void close() {
        if (releaser != null) {
            releaser.interrupt();
        }
        if (server != null) {
            server.close();
        }
        for (DeviceKey k : keys) {
            try {
                k.close();
            } catch (Exception e) {
                // Nothing is pending on a software key.
            }
        }
    }
}
