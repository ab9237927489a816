package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotStateTest.done;
import static io.wattproof.ota.install.SlotStateTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotStoreTest {
    @TempDir
    Path root;

    private SlotState trial() {
        SlotState s = done(SlotState.provisioned(3).beginStaging(4));
        s = done(s.staged(Slot.B, 4));
        return done(s.switchTo(Slot.B, 2)).onBoot().next();
    }

    @Test
    void aSavedStateLoadsAsWritten() throws IOException {
        SlotStore store = new SlotStore(root, Steps.NONE);
        done(store.provision(3));
        done(store.save(trial()));
        assertEquals(trial(), assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state());
    }

    @Test
    void everyStateRoundTripsThroughTheCodec() {
        SlotState s = trial();
        assertEquals(new StateCodec.Decoded.Ok(9, s), StateCodec.decode(StateCodec.encode(9, s)));
        SlotState committed = done(s.commit(Slot.B));
        assertEquals(new StateCodec.Decoded.Ok(10, committed), StateCodec.decode(StateCodec.encode(10, committed)));
    }

    @Test
    void everyFlippedBitAndEveryTruncationIsDamagedNeverAnException() {
        byte[] good = StateCodec.encode(5, trial());
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] b = good.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            assertInstanceOf(StateCodec.Decoded.Damaged.class, StateCodec.decode(b), "bit " + bit);
        }
        for (int len = 0; len < good.length; len++) {
            assertInstanceOf(StateCodec.Decoded.Damaged.class, StateCodec.decode(java.util.Arrays.copyOf(good, len)));
        }
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[StateCodec.LENGTH];
            random.nextBytes(b);
            assertInstanceOf(StateCodec.Decoded.Damaged.class, StateCodec.decode(b));
        }
    }

    @Test
    void aStateThatTheTransitionsCannotReachIsDamaged() {
        // CRC correct, but the trial points at the good slot.
        SlotState wrong = new SlotState(Slot.A, new SlotState.Content(SlotState.Condition.GOOD, 3), SlotState.Content.EMPTY,
                java.util.Optional.of(new SlotState.Trial(Slot.A, 4, 1, false)), new VersionFloor(3));
        StateCodec.Decoded.Damaged d = assertInstanceOf(StateCodec.Decoded.Damaged.class, StateCodec.decode(StateCodec.encode(1, wrong)));
        assertTrue(d.why().startsWith("state: trial"), d.why());
    }

    @Test
    void aDamagedMainFileLoadsFromTheCopy() throws IOException {
        SlotStore store = new SlotStore(root, Steps.NONE);
        done(store.provision(3));
        done(store.save(trial()));
        Files.write(root.resolve("ota-state.bin"), new byte[] {1, 2, 3});
        assertEquals(trial(), assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state());
    }

    @Test
    void theNewerGenerationWinsWhenTheCutFellBetweenTheTwoWrites() throws IOException {
        SlotStore store = new SlotStore(root, Steps.NONE);
        done(store.provision(3));
        byte[] old = Files.readAllBytes(root.resolve("ota-state.bin"));
        done(store.save(trial()));
        Files.write(root.resolve("ota-state.bin"), old);
        assertEquals(trial(), assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(root, Steps.NONE).load()).state());
    }

    @Test
    void bothFilesDamagedIsCorruptAndTheMarkersNameTheGoodSlot() throws IOException {
        SlotStore store = new SlotStore(root, Steps.NONE);
        done(store.provision(3));
        Files.write(root.resolve("ota-state.bin"), new byte[StateCodec.LENGTH]);
        Files.write(root.resolve("ota-state.bin.copy"), new byte[] {0});
        SlotStore fresh = new SlotStore(root, Steps.NONE);
        SlotStore.Loaded.Corrupt c = assertInstanceOf(SlotStore.Loaded.Corrupt.class, fresh.load());
        assertTrue(c.why().contains("ota-state.bin: crc32"), c.why());
        assertEquals(SlotState.provisioned(3), fresh.recoverFromMarkers().orElseThrow());
    }

    @Test
    void aWriteThatWouldLowerTheFloorIsRefusedAndChangesNothing() throws IOException {
        SlotStore store = new SlotStore(root, Steps.NONE);
        done(store.provision(3));
        byte[] before = Files.readAllBytes(root.resolve("ota-state.bin"));
        InstallRefusal r = refused(store.save(SlotState.provisioned(2)));
        assertEquals(InstallRefusal.Reason.ROLLBACK, r.reason());
        assertEquals("floor", r.field());
        assertEquals("≥ 3", r.expected());
        assertEquals("2", r.actual());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(root.resolve("ota-state.bin"))));
        // A fresh store knows the floor from the file.
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(new SlotStore(root, Steps.NONE).save(SlotState.provisioned(2))).reason());
    }
}
