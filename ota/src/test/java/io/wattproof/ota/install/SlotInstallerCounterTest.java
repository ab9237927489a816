package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotInstallerTest.download;
import static io.wattproof.ota.install.SlotInstallerTest.entry;
import static io.wattproof.ota.install.SlotInstallerTest.image;
import static io.wattproof.ota.install.SlotInstallerTest.provisioned;
import static io.wattproof.ota.install.SlotStateTest.done;
import static io.wattproof.ota.install.SlotStateTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SlotInstaller} with the floor kept in a monotonic counter as well as in ota-state.bin. */
class SlotInstallerCounterTest {
    @TempDir
    Path dir;
    final CounterDouble counter = new CounterDouble();

    private SlotInstaller installer(Path root) {
        return new SlotInstaller(new SlotStore(root, Steps.NONE), 1, counter);
    }

    /** Installs {@code version}, restarts into it and commits it. */
    private void update(Path root, long version) throws IOException {
        done(installer(root).install(download(dir, version), entry(version, image(version))));
        SlotInstaller restarted = installer(root);
        done(restarted.bootSlot());
        done(restarted.confirm());
    }

    private static byte[][] stateFiles(Path root) throws IOException {
        return new byte[][] {Files.readAllBytes(root.resolve("ota-state.bin")), Files.readAllBytes(root.resolve("ota-state.bin.copy"))};
    }

    private static void putBack(Path root, byte[][] files) throws IOException {
        Files.write(root.resolve("ota-state.bin"), files[0]);
        Files.write(root.resolve("ota-state.bin.copy"), files[1]);
    }

    @Test
    void aStartBringsTheCounterUpToTheFloorAndACommitRaisesIt() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        assertEquals(0, counter.value());
        done(installer(root).bootSlot());
        assertEquals(1, counter.value(), "the provisioned floor");
        update(root, 2);
        assertEquals(2, counter.value());
        update(root, 5);
        assertEquals(5, counter.value());
        assertEquals(5, counter.increments(), "one per version from 0 to 5, never past the committed one");
    }

    @Test
    void anInstallIsNotRaisedOnlyByStagingOrAFailedHealthCheck() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        done(installer(root).install(download(dir, 2), entry(2, image(2))));
        assertEquals(1, counter.value());
        SlotInstaller trial = installer(root);
        done(trial.bootSlot());
        done(trial.rollback());
        assertEquals(1, counter.value(), "a version that failed its health check leaves the counter where it was");
        done(installer(root).install(download(dir, 2), entry(2, image(2))));
    }

    @Test
    void anOlderStateFilePutBackBootsButAdmitsNothingAtOrBelowTheCounter() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        byte[][] asProvisioned = stateFiles(root);
        update(root, 2);
        update(root, 3);
        assertEquals(3, counter.value());
        putBack(root, asProvisioned);

        SlotInstaller afterRestore = installer(root);
        assertEquals(Slot.A, done(afterRestore.bootSlot()), "the device still boots");
        assertEquals(1, assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state().floor().value());
        assertEquals(3, done(afterRestore.running()).floor(), "the floor the update shell chooses by is the counter's");
        byte[][] before = stateFiles(root);
        for (long old : new long[] {2, 3}) {
            InstallRefusal r = refused(afterRestore.install(download(dir, old), entry(old, image(old))));
            assertEquals(InstallRefusal.Reason.ROLLBACK, r.reason());
            assertEquals("version: expected > counter floor 3, got " + old + " (rollback)", r.message());
        }
        assertArrayEquals(before[0], stateFiles(root)[0], "a refusal writes nothing");
        assertEquals(3, counter.value());
        update(root, 4);
        assertEquals(4, counter.value());
    }

    @Test
    void aStateRebuiltFromTheMarkersAdmitsNothingAtOrBelowTheCounter() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        update(root, 2);
        // Both state files and the newer slot's marker lost: the markers say version 1 is the last good one.
        Files.write(root.resolve("ota-state.bin"), new byte[] {1, 2, 3});
        Files.write(root.resolve("ota-state.bin.copy"), new byte[] {1, 2, 3});
        Files.delete(root.resolve("slots/b/.committed"));
        SlotInstaller rebuilt = installer(root);
        assertEquals(Slot.A, done(rebuilt.bootSlot()));
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(rebuilt.install(download(dir, 2), entry(2, image(2)))).reason());
        assertEquals(2, counter.value());
        done(rebuilt.install(download(dir, 3), entry(3, image(3))));
    }

    @Test
    void aPowerCutBetweenTheCommitAndTheRaiseIsCaughtUpAtTheNextStart() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        done(installer(root).install(download(dir, 2), entry(2, image(2))));
        boolean[] armed = {false};
        Steps cutAfterCommit = step -> {
            if (armed[0] && step.equals("state written")) {
                throw new PowerCutTest.SimulatedPowerCut(step);
            }
        };
        SlotInstaller trial = new SlotInstaller(new SlotStore(root, cutAfterCommit), 1, counter);
        done(trial.bootSlot());
        armed[0] = true;
        assertThrows(PowerCutTest.SimulatedPowerCut.class, trial::confirm);
        assertEquals(2, assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state().floor().value());
        assertEquals(1, counter.value(), "the commit is durable, the raise never happened");
        assertEquals(Slot.B, done(installer(root).bootSlot()));
        assertEquals(2, counter.value(), "caught up at the start");
    }

    @Test
    void aCounterAtItsMaximumRefusesEveryInstall() throws IOException {
        CounterDouble full = new CounterDouble(0, 3);
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        done(new SlotInstaller(new SlotStore(root, Steps.NONE), 1, full).install(download(dir, 3), entry(3, image(3))));
        SlotInstaller onV3 = new SlotInstaller(new SlotStore(root, Steps.NONE), 1, full);
        done(onV3.bootSlot());
        done(onV3.confirm());
        assertEquals(3, full.value());
        InstallRefusal r = refused(onV3.install(download(dir, 4), entry(4, image(4))));
        assertEquals(InstallRefusal.Reason.COUNTER, r.reason());
        assertEquals("version: expected ≤ 3 (the counter's maximum), got 4 (counter)", r.message());
        assertEquals(3, assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state().floor().value());
    }

    @Test
    void aCounterThatCannotBeReadRefusesInstallsButNotTheStart() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        counter.breakWith("atecc608 at 0x60: no acknowledge");
        SlotInstaller device = installer(root);
        assertEquals(Slot.A, done(device.bootSlot()));
        assertEquals(1, done(device.running()).floor(), "the file's floor when the counter does not answer");
        byte[][] before = stateFiles(root);
        InstallRefusal r = refused(device.install(download(dir, 2), entry(2, image(2))));
        assertEquals(InstallRefusal.Reason.COUNTER, r.reason());
        assertEquals("counter: expected readable, got atecc608 at 0x60: no acknowledge (counter)", r.message());
        assertArrayEquals(before[0], stateFiles(root)[0]);
        assertTrue(Files.notExists(root.resolve("slots/b/image")));
        counter.repair();
        done(device.install(download(dir, 2), entry(2, image(2))));
    }

    @Test
    void aCounterThatFailsAtTheCommitLeavesTheCommitStandingAndIsCaughtUpLater() throws IOException {
        Path root = dir.resolve("dev");
        provisioned(root, Steps.NONE);
        done(installer(root).install(download(dir, 2), entry(2, image(2))));
        SlotInstaller trial = installer(root);
        done(trial.bootSlot());
        counter.breakWith("gone");
        assertEquals(Slot.B, done(trial.confirm()));
        counter.repair();
        assertEquals(1, counter.value());
        done(installer(root).bootSlot());
        assertEquals(2, counter.value());
    }
}
