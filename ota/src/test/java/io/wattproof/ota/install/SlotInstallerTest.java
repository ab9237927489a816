package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotStateTest.done;
import static io.wattproof.ota.install.SlotStateTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotInstallerTest {
    @TempDir
    Path dir;

    static byte[] image(long version) {
        byte[] b = new byte[150_000 + (int) version];
        new Random(version).nextBytes(b);
        return b;
    }

    static ImageEntry entry(long version, byte[] image) {
        try {
            return new ImageEntry("agent", version, List.of("raspberry-pi-4b"), image.length, MessageDigest.getInstance("SHA-256").digest(image), 0);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A device provisioned with version 1 in slot A. */
    static SlotStore provisioned(Path root, Steps steps) throws IOException {
        Files.createDirectories(root.resolve("slots/a"));
        Files.write(root.resolve("slots/a").resolve(SlotInstaller.IMAGE_FILE), image(1));
        SlotStore store = new SlotStore(root, steps);
        done(store.provision(1));
        return store;
    }

    static Path download(Path dir, long version) throws IOException {
        Path p = dir.resolve("download-" + version);
        Files.write(p, image(version));
        return p;
    }

    private SlotState state(Path root) throws IOException {
        return assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state();
    }

    @Test
    void anInstallThatPassesItsHealthCheckIsCommitted() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        assertEquals(Slot.B, done(installer.install(download(dir, 2), entry(2, image(2)))));
        assertArrayEquals(image(2), Files.readAllBytes(root.resolve("slots/b/image")));
        // Restart.
        SlotInstaller afterRestart = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        assertEquals(Slot.B, done(afterRestart.bootSlot()));
        assertEquals(Slot.B, done(afterRestart.confirm()));
        assertEquals(2, state(root).floor().value());
        assertEquals(Slot.B, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 1).bootSlot()));
        // The next one goes to A.
        assertEquals(Slot.A, done(afterRestart.install(download(dir, 3), entry(3, image(3)))));
    }

    @Test
    void runningSaysWhatBootedWhetherOnTrialAndWhichInstallWasRejected() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        assertEquals(InstallRefusal.Reason.NO_TRIAL, refused(installer.running()).reason());
        done(installer.bootSlot());
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.empty()), done(installer.running()));
        done(installer.install(download(dir, 2), entry(2, image(2))));
        SlotInstaller trial = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        done(trial.bootSlot());
        assertEquals(new Running(Slot.B, 2, true, 1, OptionalLong.empty()), done(trial.running()));
        done(trial.rollback());
        SlotInstaller back = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        done(back.bootSlot());
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.of(2)), done(back.running()));
        done(back.install(download(dir, 3), entry(3, image(3))));
        SlotInstaller third = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        done(third.bootSlot());
        done(third.confirm());
        assertEquals(new Running(Slot.B, 3, false, 3, OptionalLong.empty()), done(third.running()));
    }

    @Test
    void aFailedHealthCheckBootsTheOldSlotNextAndItStaysCommitted() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        done(installer.install(download(dir, 2), entry(2, image(2))));
        SlotInstaller trial = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        assertEquals(Slot.B, done(trial.bootSlot()));
        assertEquals(Slot.A, done(trial.rollback()));
        SlotInstaller next = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        assertEquals(Slot.A, done(next.bootSlot()));
        SlotState s = state(root);
        assertEquals(new SlotState.Content(SlotState.Condition.GOOD, 1), s.a());
        assertEquals(SlotState.Condition.BAD, s.b().condition());
        assertEquals(1, s.floor().value());
    }

    @Test
    void aTrialThatNeverReachesItsHealthCheckRollsBackWhenItsAttemptsAreUsed() throws IOException {
        Path root = dir.resolve("dev");
        done(new SlotInstaller(provisioned(root, Steps.NONE), 2).install(download(dir, 2), entry(2, image(2))));
        // Two starts that crash before the health check, then the fall-back.
        assertEquals(Slot.B, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 2).bootSlot()));
        assertEquals(Slot.B, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 2).bootSlot()));
        assertEquals(Slot.A, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 2).bootSlot()));
        assertEquals(SlotState.Condition.BAD, state(root).b().condition());
    }

    @Test
    void aCopyWithOtherBytesIsRefusedAndTheDeviceKeepsBootingItsGoodSlot() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        byte[] other = image(2);
        other[77] ^= 1;
        Path download = dir.resolve("altered");
        Files.write(download, other);
        InstallRefusal r = refused(installer.install(download, entry(2, image(2))));
        assertEquals(InstallRefusal.Reason.HASH, r.reason());
        assertEquals("image.sha256", r.field());
        assertEquals(Slot.A, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 1).bootSlot()));
        Path shorter = dir.resolve("short");
        Files.write(shorter, java.util.Arrays.copyOf(image(2), 1000));
        assertEquals(InstallRefusal.Reason.LENGTH, refused(installer.install(shorter, entry(2, image(2)))).reason());
    }

    @Test
    void anImageAtTheFloorIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        byte[] before = Files.readAllBytes(root.resolve("ota-state.bin"));
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(installer.install(download(dir, 1), entry(1, image(1)))).reason());
        assertArrayEquals(before, Files.readAllBytes(root.resolve("ota-state.bin")));
    }

    @Test
    void confirmWithoutABootedTrialIsRefused() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        assertEquals(InstallRefusal.Reason.NO_TRIAL, refused(installer.confirm()).reason());
        assertEquals(Slot.A, done(installer.bootSlot()));
        assertEquals(InstallRefusal.Reason.NO_TRIAL, refused(installer.confirm()).reason());
    }

    @Test
    void withBothStateFilesDamagedTheHighestCommitMarkerBoots() throws IOException {
        Path root = dir.resolve("dev");
        SlotInstaller installer = new SlotInstaller(provisioned(root, Steps.NONE), 1);
        done(installer.install(download(dir, 2), entry(2, image(2))));
        SlotInstaller trial = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
        done(trial.bootSlot());
        done(trial.confirm());
        Files.write(root.resolve("ota-state.bin"), new byte[] {9});
        Files.write(root.resolve("ota-state.bin.copy"), new byte[0]);
        assertEquals(Slot.B, done(new SlotInstaller(new SlotStore(root, Steps.NONE), 1).bootSlot()));
        SlotState rebuilt = state(root);
        assertEquals(2, rebuilt.floor().value());
        assertEquals(new SlotState.Content(SlotState.Condition.GOOD, 2), rebuilt.b());
        // And the device installs again from there, into A.
        assertEquals(Slot.A, done(trial.install(download(dir, 3), entry(3, image(3)))));
    }

    @Test
    void withBothStateFilesDamagedAndNoMarkerTheStateIsUnknown() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        Files.delete(root.resolve("slots/a/.committed"));
        Files.write(root.resolve("ota-state.bin"), new byte[] {9});
        Files.write(root.resolve("ota-state.bin.copy"), new byte[] {9});
        InstallRefusal r = refused(new SlotInstaller(new SlotStore(root, Steps.NONE), 1).bootSlot());
        assertEquals(InstallRefusal.Reason.STATE_UNKNOWN, r.reason());
        assertEquals("slots/*/.committed", r.field());
    }
}
