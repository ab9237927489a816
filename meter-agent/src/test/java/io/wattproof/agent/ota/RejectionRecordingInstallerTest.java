package io.wattproof.agent.ota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.install.InstallRefusal;
import io.wattproof.ota.install.Installer;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import io.wattproof.ota.metadata.ImageEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed trial's version outlives the rollback's restart, until the next install (RAUC's slots know no versions of ours). */
class RejectionRecordingInstallerTest {
    @TempDir
    Path dir;

    /** An installer with RAUC's memory: the floor, and the slot and version under trial; no rejected version. */
    private static final class ForgetfulInstaller implements Installer {
        Slot booted = Slot.A;
        long floor = 1;
        long pending;
        Slot pendingSlot;
        boolean refuseRollback;

        @Override
        public Outcome<Slot> install(Path image, ImageEntry entry) {
            pending = entry.version();
            pendingSlot = booted.other();
            return new Outcome.Done<>(pendingSlot);
        }

        @Override
        public Outcome<Slot> confirm() {
            floor = pending;
            pending = 0;
            return new Outcome.Done<>(booted);
        }

        @Override
        public Outcome<Slot> rollback() {
            if (refuseRollback) {
                return Outcome.refused(InstallRefusal.Reason.TOOL_FAILED, "rauc status mark-bad", "exit 0", "exit 1");
            }
            pending = 0;
            return new Outcome.Done<>(booted.other());
        }

        @Override
        public Outcome<Slot> bootSlot() {
            return new Outcome.Done<>(booted);
        }

        @Override
        public Outcome<Running> running() {
            boolean trial = pending != 0 && booted == pendingSlot;
            return new Outcome.Done<>(new Running(booted, trial ? pending : floor, trial, floor, OptionalLong.empty()));
        }
    }

    private static ImageEntry image(long version) {
        return new ImageEntry("system", version, List.of("raspberry-pi-4b"), 3, new byte[32], 0);
    }

    private static Running running(Installer installer) throws Exception {
        return ((Outcome.Done<Running>) installer.running()).value();
    }

    @Test
    void aRolledBackVersionIsReportedRejectedAfterTheRestartUntilTheNextInstall() throws Exception {
        ForgetfulInstaller rauc = new ForgetfulInstaller();
        Installer installer = new RejectionRecordingInstaller(rauc, dir);
        installer.install(dir.resolve("v2"), image(2));
        rauc.booted = Slot.B;
        assertEquals(new Running(Slot.B, 2, true, 1, OptionalLong.empty()), running(installer), "on trial: nothing rejected yet");
        installer.rollback();
        assertEquals("2", Files.readString(dir.resolve(RejectionRecordingInstaller.FILE)));
        rauc.booted = Slot.A;
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.of(2)), running(new RejectionRecordingInstaller(rauc, dir)),
                "after the restart, in a new process");

        installer.install(dir.resolve("v3"), image(3));
        assertFalse(Files.exists(dir.resolve(RejectionRecordingInstaller.FILE)), "replaced by the next attempt");
        assertEquals(OptionalLong.empty(), running(installer).rejected());
    }

    @Test
    void nothingIsRememberedWithoutATrialOrWhenTheRollbackIsRefused() throws Exception {
        ForgetfulInstaller rauc = new ForgetfulInstaller();
        Installer installer = new RejectionRecordingInstaller(rauc, dir);
        installer.install(dir.resolve("v2"), image(2));
        rauc.booted = Slot.B;
        rauc.refuseRollback = true;
        installer.rollback();
        assertFalse(Files.exists(dir.resolve(RejectionRecordingInstaller.FILE)), "rauc refused: the trial is not over");
        rauc.refuseRollback = false;
        rauc.booted = Slot.A;
        installer.rollback();
        assertFalse(Files.exists(dir.resolve(RejectionRecordingInstaller.FILE)), "not on trial: no version of the trial is known");
    }

    @Test
    void aCommittedNewerVersionOrAnUnreadableFileReportsNothingRejected() throws Exception {
        ForgetfulInstaller rauc = new ForgetfulInstaller();
        Installer installer = new RejectionRecordingInstaller(rauc, dir);
        Files.writeString(dir.resolve(RejectionRecordingInstaller.FILE), "2");
        rauc.floor = 3;
        assertEquals(OptionalLong.empty(), running(installer).rejected(), "running 3: version 2 is history");
        for (String junk : List.of("", "two", "-2", "0", "99999999999999999999", "\u00e9")) {
            Files.writeString(dir.resolve(RejectionRecordingInstaller.FILE), junk);
            rauc.floor = 1;
            assertEquals(OptionalLong.empty(), running(installer).rejected(), "'" + junk + "'");
        }
        Files.writeString(dir.resolve(RejectionRecordingInstaller.FILE), "7\n");
        assertTrue(running(installer).rejected().isPresent());
    }
}
