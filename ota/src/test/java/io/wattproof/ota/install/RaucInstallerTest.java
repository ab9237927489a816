package io.wattproof.ota.install;

import static io.wattproof.ota.install.SlotStateTest.done;
import static io.wattproof.ota.install.SlotStateTest.refused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.metadata.ImageEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a stand-in rauc: a shell script that appends its arguments to {@code calls}, prints
 * {@code status-out} for {@code status --output-format=shell}, and exits with the number in
 * {@code exit-<subcommand>} (0 if absent), printing {@code stderr-<subcommand>} to stderr.
 */
class RaucInstallerTest {
    @TempDir
    Path dir;
    Path rauc;
    Path state;

    private static final ImageEntry V2 = new ImageEntry("system", 2, List.of("raspberry-pi-4b"), 3, new byte[32], 0);

    @BeforeEach
    void standIn() throws IOException {
        rauc = dir.resolve("rauc");
        Files.writeString(rauc, """
                #!/bin/sh
                d=$(dirname "$0")
                echo "$*" >> "$d/calls"
                if [ "$1 $2" = "status --output-format=shell" ]; then cat "$d/status-out"; fi
                sub="$1"; [ "$1" = status ] && [ -n "$2" ] && sub="$2"
                [ -f "$d/stderr-$sub" ] && cat "$d/stderr-$sub" >&2
                [ -f "$d/exit-$sub" ] && exit $(cat "$d/exit-$sub")
                exit 0
                """);
        Files.setPosixFilePermissions(rauc, PosixFilePermissions.fromString("rwx------"));
        booted("A");
        state = dir.resolve("state");
    }

    private void booted(String slot) throws IOException {
        Files.writeString(dir.resolve("status-out"), "RAUC_SYSTEM_COMPATIBLE='wattproof'\nRAUC_SYSTEM_BOOTED_BOOTNAME='" + slot + "'\n");
    }

    private List<String> calls() throws IOException {
        return Files.exists(dir.resolve("calls")) ? Files.readAllLines(dir.resolve("calls")) : List.of();
    }

    @Test
    void installThenAPassingHealthCheckMarksTheNewSlotGoodAndRaisesTheFloor() throws IOException {
        Path bundle = dir.resolve("update.raucb");
        Files.writeString(bundle, "abc");
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        assertEquals(Slot.A, done(installer.bootSlot()));
        assertEquals(Slot.B, done(installer.install(bundle, V2)));
        booted("B");
        RaucInstaller afterRestart = new RaucInstaller(rauc, state, 1);
        assertEquals(Slot.B, done(afterRestart.bootSlot()));
        assertEquals(Slot.B, done(afterRestart.confirm()));
        assertEquals(List.of("status --output-format=shell", "status --output-format=shell", "install " + bundle.toAbsolutePath(),
                "status --output-format=shell", "status --output-format=shell", "status mark-good booted"), calls());
        assertEquals(new VersionFloor(2), done(afterRestart.floor()));
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(afterRestart.install(bundle, V2)).reason());
    }

    @Test
    void runningIsThePendingVersionOnTrialAndTheFloorOtherwise() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.empty()), done(installer.running()));
        done(installer.install(dir.resolve("b.raucb"), V2));
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.empty()), done(installer.running()));
        booted("B");
        assertEquals(new Running(Slot.B, 2, true, 1, OptionalLong.empty()), done(installer.running()));
        done(installer.confirm());
        assertEquals(new Running(Slot.B, 2, false, 2, OptionalLong.empty()), done(installer.running()));
    }

    @Test
    void aFailingHealthCheckMarksTheBootedSlotBad() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        done(installer.install(dir.resolve("b.raucb"), V2));
        booted("B");
        assertEquals(Slot.A, done(installer.rollback()));
        assertEquals("status mark-bad booted", calls().get(calls().size() - 1));
        assertEquals(new VersionFloor(1), done(installer.floor()));
    }

    @Test
    void afterTheBootLoaderFellBackTheNewSlotIsMarkedBadAndNotConfirmed() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        done(installer.install(dir.resolve("b.raucb"), V2));
        // Still on A: the trial of B used its attempts.
        InstallRefusal r = refused(installer.confirm());
        assertEquals(InstallRefusal.Reason.WRONG_SLOT, r.reason());
        assertEquals(new VersionFloor(1), done(installer.floor()));
        assertEquals(Slot.A, done(installer.rollback()));
        assertEquals("status mark-bad other", calls().get(calls().size() - 1));
    }

    @Test
    void aFailingRaucIsARefusalWithItsStderrAndChangesNothing() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        byte[] before = Files.readAllBytes(state.resolve("ota-rauc.bin"));
        Files.writeString(dir.resolve("exit-install"), "1");
        Files.writeString(dir.resolve("stderr-install"), "Failed to check bundle: signature invalid");
        InstallRefusal r = refused(installer.install(dir.resolve("b.raucb"), V2));
        assertEquals(InstallRefusal.Reason.TOOL_FAILED, r.reason());
        assertEquals("rauc install", r.field());
        assertEquals("exit 1: Failed to check bundle: signature invalid", r.actual());
        assertArrayEquals(before, Files.readAllBytes(state.resolve("ota-rauc.bin")));
        assertEquals(InstallRefusal.Reason.NO_TRIAL, refused(installer.confirm()).reason());
    }

    @Test
    void aFailingMarkGoodLeavesTheTrialPendingAndTheFloorDown() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        done(installer.install(dir.resolve("b.raucb"), V2));
        booted("B");
        Files.writeString(dir.resolve("exit-mark-good"), "2");
        assertEquals(InstallRefusal.Reason.TOOL_FAILED, refused(installer.confirm()).reason());
        assertEquals(new VersionFloor(1), done(installer.floor()));
        Files.delete(dir.resolve("exit-mark-good"));
        assertEquals(Slot.B, done(installer.confirm()));
        assertEquals(new VersionFloor(2), done(installer.floor()));
    }

    @Test
    void anImageAtTheFloorNeverReachesRauc() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 2);
        assertEquals(InstallRefusal.Reason.ROLLBACK, refused(installer.install(dir.resolve("b.raucb"), V2)).reason());
        assertTrue(calls().isEmpty(), calls().toString());
    }

    @Test
    void aDamagedFloorFileRefusesInstalls() throws IOException {
        RaucInstaller installer = new RaucInstaller(rauc, state, 1);
        byte[] b = Files.readAllBytes(state.resolve("ota-rauc.bin"));
        b[10] ^= 1;
        Files.write(state.resolve("ota-rauc.bin"), b);
        assertEquals(InstallRefusal.Reason.STATE_UNKNOWN, refused(installer.install(dir.resolve("b.raucb"), V2)).reason());
        assertEquals(InstallRefusal.Reason.STATE_UNKNOWN, refused(installer.floor()).reason());
        assertTrue(calls().isEmpty());
    }

    @Test
    void withACounterTheConfirmRaisesItAndAStartCatchesItUp() throws IOException {
        CounterDouble counter = new CounterDouble();
        RaucInstaller installer = new RaucInstaller(rauc, state, 1, counter);
        assertEquals(Slot.A, done(installer.bootSlot()));
        assertEquals(1, counter.value(), "brought up to the provisioned floor");
        done(installer.install(dir.resolve("b.raucb"), V2));
        assertEquals(1, counter.value(), "not raised by the install");
        booted("B");
        RaucInstaller afterRestart = new RaucInstaller(rauc, state, 1, counter);
        done(afterRestart.bootSlot());
        counter.breakWith("atecc608 at 0x60: no acknowledge");
        assertEquals(Slot.B, done(afterRestart.confirm()), "the commit stands when the raise fails");
        assertEquals(1, counter.value());
        counter.repair();
        done(new RaucInstaller(rauc, state, 1, counter).bootSlot());
        assertEquals(2, counter.value());
        assertEquals(new VersionFloor(2), done(afterRestart.floor()));
    }

    @Test
    void withACounterAnOlderFloorFilePutBackAdmitsNothingAtOrBelowIt() throws IOException {
        CounterDouble counter = new CounterDouble();
        Path bundle = dir.resolve("b.raucb");
        RaucInstaller installer = new RaucInstaller(rauc, state, 1, counter);
        byte[] asProvisioned = Files.readAllBytes(state.resolve("ota-rauc.bin"));
        done(installer.install(bundle, V2));
        booted("B");
        done(installer.confirm());
        assertEquals(2, counter.value());
        Files.write(state.resolve("ota-rauc.bin"), asProvisioned);
        int callsBefore = calls().size();
        InstallRefusal r = refused(installer.install(bundle, V2));
        assertEquals("version: expected > counter floor 2, got 2 (rollback)", r.message());
        assertEquals(callsBefore, calls().size(), "rauc not asked to install");
        assertEquals(new VersionFloor(2), done(installer.floor()));
        assertEquals(2, done(installer.running()).floor());
        assertArrayEquals(asProvisioned, Files.readAllBytes(state.resolve("ota-rauc.bin")));
    }

    @Test
    void withACounterThatCannotBeReadInstallsAreRefusedButTheStartIsNot() throws IOException {
        CounterDouble counter = new CounterDouble();
        counter.breakWith("atecc608 at 0x60: no acknowledge");
        RaucInstaller installer = new RaucInstaller(rauc, state, 1, counter);
        assertEquals(Slot.A, done(installer.bootSlot()));
        InstallRefusal r = refused(installer.install(dir.resolve("b.raucb"), V2));
        assertEquals(InstallRefusal.Reason.COUNTER, r.reason());
        assertTrue(calls().stream().noneMatch(c -> c.startsWith("install")), calls().toString());
        assertEquals(InstallRefusal.Reason.COUNTER, refused(installer.floor()).reason());
        assertEquals(1, done(installer.running()).floor());
    }
}
