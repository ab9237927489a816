package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotInstallerTest.download;
import static io.wattproof.ota.install.SlotInstallerTest.entry;
import static io.wattproof.ota.install.SlotInstallerTest.image;
import static io.wattproof.ota.install.SlotStateTest.done;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts the power after every durable step of two installs (v2 committed, then v3 whose health
 * check fails) and starts the device again: it must boot a slot whose image is complete, at or
 * above the floor, and the floor must never have gone down.
 */
class PowerCutTest {
    @TempDir
    Path dir;

    static final class SimulatedPowerCut extends RuntimeException {
        SimulatedPowerCut(String step) {
            super(step);
        }
    }

    /** Counts steps and cuts the power at step {@code cutAt} (never if negative). */
    static final class Cutter implements Steps {
        final int cutAt;
        final Path root;
        final List<String> seen = new ArrayList<>();
        long highestFloor;

        Cutter(int cutAt) {
            this(cutAt, null);
        }

        /** Also reads the floor on disk at every step, to check later that it never went down. */
        Cutter(int cutAt, Path root) {
            this.cutAt = cutAt;
            this.root = root;
        }

        @Override
        public void reached(String step) throws IOException {
            seen.add(step);
            if (root != null && new SlotStore(root, Steps.NONE).load() instanceof SlotStore.Loaded.Found f) {
                highestFloor = Math.max(highestFloor, f.state().floor().value());
            }
            if (seen.size() == cutAt) {
                throw new SimulatedPowerCut(step);
            }
        }
    }

    /** Installs v2 and commits it, then installs v3 and fails its health check, all on one step counter. */
    private static void lifeOf(Path root, Path downloads, Steps steps) throws IOException {
        SlotStore store = new SlotStore(root, steps);
        done(new SlotInstaller(store, 1).install(download(downloads, 2), entry(2, image(2))));
        SlotInstaller second = new SlotInstaller(new SlotStore(root, steps), 1);
        done(second.bootSlot());
        done(second.confirm());
        done(second.install(download(downloads, 3), entry(3, image(3))));
        SlotInstaller third = new SlotInstaller(new SlotStore(root, steps), 1);
        done(third.bootSlot());
        done(third.rollback());
    }

    @Test
    void afterACutAtEveryStepTheDeviceBootsACompleteSlotAtOrAboveTheFloor() throws IOException {
        Cutter counting = new Cutter(-1);
        SlotInstallerTest.provisioned(dir.resolve("count"), Steps.NONE);
        lifeOf(dir.resolve("count"), dir, counting);
        int steps = counting.seen.size();
        assertTrue(steps > 20, "steps seen: " + counting.seen);
        for (int k = 1; k <= steps; k++) {
            Path root = dir.resolve("cut-" + k);
            SlotInstallerTest.provisioned(root, Steps.NONE);
            Cutter cutter = new Cutter(k, root);
            try {
                lifeOf(root, dir, cutter);
                throw new AssertionError("no cut at step " + k);
            } catch (SimulatedPowerCut cut) {
                // The device lost power here.
            }
            String where = "cut after step " + k + " (" + cutter.seen.get(k - 1) + ")";
            SlotState before = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            assertTrue(before.floor().value() >= cutter.highestFloor, where + ": floor " + before.floor() + " after " + cutter.highestFloor);
            if (k % 2 == 0) {
                // And on every other one, the power fails again after each step of the next start.
                for (int j = 1; j <= 4; j++) {
                    try {
                        new SlotInstaller(new SlotStore(root, new Cutter(j)), 1).bootSlot();
                    } catch (SimulatedPowerCut again) {
                        // Cut during the start.
                    }
                }
                where += ", then during four starts";
            }
            SlotInstaller restarted = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
            Slot booted = done(restarted.bootSlot());
            SlotState after = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            long version = after.content(booted).version();
            assertArrayEquals(image(version), Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(booted).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertTrue(version >= after.floor().value(), where + ": version " + version + " below floor " + after.floor());
            assertTrue(after.floor().value() >= before.floor().value(), where);
            SlotState.Condition condition = after.content(booted).condition();
            assertTrue(condition == SlotState.Condition.GOOD || condition == SlotState.Condition.STAGED, where + ": " + condition);
            // Rebooting again never lands on an incomplete slot either (the trial's attempt is used up by now).
            Slot again = done(new SlotInstaller(new SlotStore(root, Steps.NONE), 1).bootSlot());
            SlotState last = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            assertArrayEquals(image(last.content(again).version()),
                    Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(again).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertEquals(SlotState.Condition.GOOD, last.content(again).condition(), where);
            // And it can still be updated: nothing is left stuck half way.
            SlotInstaller later = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
            done(later.install(download(dir, 4), entry(4, image(4))));
            SlotInstaller onV4 = new SlotInstaller(new SlotStore(root, Steps.NONE), 1);
            Slot v4 = done(onV4.bootSlot());
            done(onV4.confirm());
            assertArrayEquals(image(4), Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(v4).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertEquals(4, assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state().floor().value(), where);
        }
    }
}
