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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cuts the power after every durable step of two installs (v2 committed, then v3 whose health
 * check fails) and starts the device again: it must boot a slot whose image is complete, at or
 * above the floor, and the floor must never have gone down. Run again with the floor kept in a
 * monotonic counter too: the counter must never stand above the floor on disk (so never above a
 * slot the device can boot), and the start after the cut must bring it up to that floor.
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

    /** An installer on {@code root}, with the counter when there is one. */
    private static SlotInstaller installer(Path root, Steps steps, CounterDouble counter) {
        SlotStore store = new SlotStore(root, steps);
        return counter == null ? new SlotInstaller(store, 1) : new SlotInstaller(store, 1, counter);
    }

    /** Installs v2 and commits it, then installs v3 and fails its health check, all on one step counter. */
    private static void lifeOf(Path root, Path downloads, Steps steps, CounterDouble counter) throws IOException {
        done(installer(root, steps, counter).install(download(downloads, 2), entry(2, image(2))));
        SlotInstaller second = installer(root, steps, counter);
        done(second.bootSlot());
        done(second.confirm());
        done(second.install(download(downloads, 3), entry(3, image(3))));
        SlotInstaller third = installer(root, steps, counter);
        done(third.bootSlot());
        done(third.rollback());
    }

    @ParameterizedTest(name = "with a counter: {0}")
    @ValueSource(booleans = {false, true})
    void afterACutAtEveryStepTheDeviceBootsACompleteSlotAtOrAboveTheFloor(boolean withCounter) throws IOException {
        Cutter counting = new Cutter(-1);
        SlotInstallerTest.provisioned(dir.resolve("count"), Steps.NONE);
        lifeOf(dir.resolve("count"), dir, counting, withCounter ? new CounterDouble() : null);
        int steps = counting.seen.size();
        assertTrue(steps > 20, "steps seen: " + counting.seen);
        for (int k = 1; k <= steps; k++) {
            Path root = dir.resolve("cut-" + k);
            SlotInstallerTest.provisioned(root, Steps.NONE);
            Cutter cutter = new Cutter(k, root);
            CounterDouble counter = withCounter ? new CounterDouble() : null;
            try {
                lifeOf(root, dir, cutter, counter);
                throw new AssertionError("no cut at step " + k);
            } catch (SimulatedPowerCut cut) {
                // The device lost power here.
            }
            String where = "cut after step " + k + " (" + cutter.seen.get(k - 1) + ")";
            SlotState before = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            assertTrue(before.floor().value() >= cutter.highestFloor, where + ": floor " + before.floor() + " after " + cutter.highestFloor);
            if (counter != null) {
                assertTrue(counter.value() <= before.floor().value(), where + ": counter " + counter.value() + " above the floor " + before.floor());
            }
            if (k % 2 == 0) {
                // And on every other one, the power fails again after each step of the next start.
                for (int j = 1; j <= 4; j++) {
                    try {
                        installer(root, new Cutter(j), counter).bootSlot();
                    } catch (SimulatedPowerCut again) {
                        // Cut during the start.
                    }
                }
                where += ", then during four starts";
            }
            SlotInstaller restarted = installer(root, Steps.NONE, counter);
            Slot booted = done(restarted.bootSlot());
            SlotState after = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            long version = after.content(booted).version();
            if (counter != null) {
                assertEquals(after.floor().value(), counter.value(), where + ": the start brings the counter up to the floor");
            }
            assertArrayEquals(image(version), Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(booted).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertTrue(version >= after.floor().value(), where + ": version " + version + " below floor " + after.floor());
            assertTrue(after.floor().value() >= before.floor().value(), where);
            SlotState.Condition condition = after.content(booted).condition();
            assertTrue(condition == SlotState.Condition.GOOD || condition == SlotState.Condition.STAGED, where + ": " + condition);
            // Rebooting again never lands on an incomplete slot either (the trial's attempt is used up by now).
            Slot again = done(installer(root, Steps.NONE, counter).bootSlot());
            SlotState last = assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load(), where).state();
            assertArrayEquals(image(last.content(again).version()),
                    Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(again).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertEquals(SlotState.Condition.GOOD, last.content(again).condition(), where);
            // And it can still be updated: nothing is left stuck half way.
            SlotInstaller later = installer(root, Steps.NONE, counter);
            done(later.install(download(dir, 4), entry(4, image(4))));
            SlotInstaller onV4 = installer(root, Steps.NONE, counter);
            Slot v4 = done(onV4.bootSlot());
            done(onV4.confirm());
            assertArrayEquals(image(4), Files.readAllBytes(new SlotStore(root, Steps.NONE).slotDir(v4).resolve(SlotInstaller.IMAGE_FILE)), where);
            assertEquals(4, assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state().floor().value(), where);
            if (counter != null) {
                assertEquals(4, counter.value(), where);
            }
        }
    }
}
