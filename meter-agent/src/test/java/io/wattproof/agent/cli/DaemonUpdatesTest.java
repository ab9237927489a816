package io.wattproof.agent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.config.DeviceConfig;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.crypto.MonotonicCounter;
import io.wattproof.crypto.atecc608.Atecc608Driver;
import io.wattproof.crypto.atecc608.Atecc608I2cDouble;
import io.wattproof.crypto.atecc608.Atecc608KeyStore;
import io.wattproof.crypto.soft.SoftwareKeyStore;
import io.wattproof.ota.install.InstallRefusal;
import io.wattproof.ota.install.Outcome;
import io.wattproof.ota.install.RaucInstaller;
import io.wattproof.ota.install.Running;
import io.wattproof.ota.install.Slot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code run --config} finds at start with an {@code ota} section, before the agent starts:
 * what booted, or the standing alarm that says why updates are not taken (docs/daemon.md,
 * "Updates"). Against the stand-in rauc of {@link OtaStandIns}.
 */
class DaemonUpdatesTest {
    private static final Duration INTERVAL = Duration.ofMinutes(15);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    OtaStandIns tools;
    Path data;
    List<String> alarms = new ArrayList<>();

    @BeforeEach
    void standIns() throws Exception {
        tools = new OtaStandIns(dir);
        data = dir.resolve("data");
    }

    private DeviceConfig.Ota ota(Optional<Duration> window) {
        return new DeviceConfig.Ota(tools.rauc, Optional.empty(), window, List.of(tools.reboot.toString()), Optional.empty(), 1);
    }

    private Optional<DaemonUpdates.Boot> boot() {
        return DaemonUpdates.boot(ota(Optional.empty()), "raspberry-pi-4b", INTERVAL, data, CLOCK, alarms);
    }

    @Test
    void aProvisionedDeviceBootsIdleOnTheProvisionedRelease() throws Exception {
        tools.trust(data.resolve("ota"));
        DaemonUpdates.Boot boot = boot().orElseThrow(() -> new AssertionError(alarms.toString()));
        assertEquals(List.of(), alarms);
        assertEquals(new Running(Slot.A, 1, false, 1, OptionalLong.empty()), boot.running());
        assertEquals("raspberry-pi-4b", boot.board(), "the board profile's name by default");
        assertEquals(data.resolve("ota"), boot.stateDir());
        assertEquals(CLOCK.instant(), boot.bootedAt());
        assertEquals(Duration.ofMinutes(35), boot.window(), "two 15-minute intervals and 5 minutes");
        assertEquals(List.of("status --output-format=shell", "status --output-format=shell"), tools.raucCalls());
        assertTrue(Files.exists(data.resolve("ota").resolve("ota-rauc.bin")), "the floor starts at the provisioned release");
    }

    @Test
    void withTheKeysAtecc608TheFloorIsAlsoTheChipsCounter() throws Exception {
        tools.trust(data.resolve("ota"));
        // The chip's counter says 4: an older floor file (here a fresh one at 1) cannot let release 3 in.
        Atecc608I2cDouble chip = Atecc608I2cDouble.personalised();
        chip.presetCounter(Atecc608KeyStore.FLOOR_COUNTER, 4);
        MonotonicCounter counter = Atecc608KeyStore.floorCounter(new Atecc608Driver(chip, 0x60, chip.pause()));
        DaemonUpdates.Boot boot = DaemonUpdates.boot(ota(Optional.empty()), "raspberry-pi-4b", INTERVAL, data, Optional.of(counter), CLOCK,
                alarms).orElseThrow(() -> new AssertionError(alarms.toString()));
        assertEquals(4, boot.running().floor());
        Outcome<Slot> refused = boot.installer().install(dir.resolve("update.raucb"), OtaStandIns.image(3));
        assertEquals(InstallRefusal.Reason.ROLLBACK, assertInstanceOf(Outcome.Refused.class, refused).refusal().reason());
        assertTrue(tools.raucCalls().stream().noneMatch(c -> c.startsWith("install")), "rauc is never asked");
    }

    @Test
    void onlyAKeyInAnAtecc608HasAFloorCounter() throws Exception {
        Path secret = dir.resolve("secret");
        SoftwareKeyStore.createSecret(secret);
        assertEquals(Optional.empty(), RunConfigured.floorCounter(SoftwareKeyStore.create(dir.resolve("k"), KeyAlgorithm.ED25519, secret)));
    }

    @Test
    void afterAnInstallTheSlotRaucBootedRunsTheNewVersionOnTrial() throws Exception {
        Path state = data.resolve("ota");
        tools.trust(state);
        new RaucInstaller(tools.rauc, state, 1).install(dir.resolve("update.raucb"), OtaStandIns.image(2));
        tools.booted("B");
        DaemonUpdates.Boot boot = boot().orElseThrow(() -> new AssertionError(alarms.toString()));
        assertEquals(new Running(Slot.B, 2, true, 1, OptionalLong.empty()), boot.running());
    }

    @Test
    void theSectionsBoardStateFolderAndWindowWin() throws Exception {
        Path state = dir.resolve("elsewhere");
        tools.trust(state);
        DeviceConfig.Ota ota = new DeviceConfig.Ota(tools.rauc, Optional.of("pi4-custom"), Optional.of(Duration.ofHours(1)),
                List.of("reboot"), Optional.of(state), 7);
        DaemonUpdates.Boot boot = DaemonUpdates.boot(ota, "raspberry-pi-4b", INTERVAL, data, CLOCK, alarms).orElseThrow();
        assertEquals("pi4-custom", boot.board());
        assertEquals(state, boot.stateDir());
        assertEquals(Duration.ofHours(1), boot.window());
        assertEquals(7, boot.running().floor(), "a fresh floor file starts at the provisioned release");
        assertEquals(List.of("reboot"), boot.rebootCommand());
    }

    @Test
    void withoutATrustFileUpdatesAreNotTakenAndRaucIsNotAsked() throws Exception {
        assertTrue(boot().isEmpty());
        assertEquals(List.of("updates not taken: " + data.resolve("ota").resolve("ota-trust.bin") + ": no such file; install the "
                + "release root with 'meter-agent provision ... --ota-root FILE' (docs/provisioning.md)"), alarms);
        assertEquals(List.of(), tools.raucCalls());
    }

    @Test
    void aDamagedTrustFileIsAStandingAlarmAndStaysAsItWas() throws Exception {
        Path state = data.resolve("ota");
        tools.trust(state);
        Path file = state.resolve("ota-trust.bin");
        byte[] damaged = Files.readAllBytes(file);
        damaged[10] ^= 1;
        Files.write(file, damaged);
        assertTrue(boot().isEmpty());
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("updates not taken: ota-trust.bin crc32: expected "), alarms.toString());
        assertTrue(alarms.get(0).endsWith("(" + file + ", left in place)"), alarms.toString());
        assertArrayEquals(damaged, Files.readAllBytes(file));
    }

    @Test
    void aRaucThatFailsIsAStandingAlarmWithItsMessage() throws Exception {
        tools.trust(data.resolve("ota"));
        tools.raucFails(1, "rauc-service not running");
        assertTrue(boot().isEmpty());
        assertEquals(List.of("updates not taken: RAUC cannot say which slot booted: rauc status: expected exit 0, got exit 1: "
                + "rauc-service not running (tool_failed)"), alarms);
    }

    @Test
    void aBootnameThatIsNeitherAnorBIsAStandingAlarm() throws Exception {
        tools.trust(data.resolve("ota"));
        tools.booted("recovery");
        assertTrue(boot().isEmpty());
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("updates not taken: RAUC cannot say which slot booted: RAUC_SYSTEM_BOOTED_BOOTNAME: "
                + "expected A or B, got recovery"), alarms.toString());
    }

    @Test
    void aMissingRaucIsAStandingAlarm() throws Exception {
        tools.trust(data.resolve("ota"));
        DeviceConfig.Ota ota = new DeviceConfig.Ota(dir.resolve("no-rauc"), Optional.empty(), Optional.empty(), List.of("reboot"),
                Optional.empty(), 1);
        assertTrue(DaemonUpdates.boot(ota, "raspberry-pi-4b", INTERVAL, data, CLOCK, alarms).isEmpty());
        assertEquals(1, alarms.size());
        assertTrue(alarms.get(0).startsWith("updates not taken: RAUC: Cannot run program \"" + dir.resolve("no-rauc")), alarms.toString());
    }

    @Test
    void aHealthWindowNoLongerThanTwoIntervalsIsAStandingAlarm() throws Exception {
        tools.trust(data.resolve("ota"));
        assertTrue(DaemonUpdates.boot(ota(Optional.of(Duration.ofMinutes(30))), "raspberry-pi-4b", INTERVAL, data, CLOCK, alarms)
                .isEmpty());
        assertEquals(List.of("updates not taken: ota.health_window PT30M is not longer than two intervals of PT15M: a new version's "
                + "first record could not arrive in it, and every update would be rolled back"), alarms);
        assertEquals(List.of(), tools.raucCalls());
        alarms.clear();
        assertTrue(DaemonUpdates.boot(ota(Optional.of(Duration.ofMinutes(31))), "raspberry-pi-4b", INTERVAL, data, CLOCK, alarms)
                .isPresent(), alarms.toString());
    }

    @Test
    void theRebootCommandRunsWithItsArgumentsAndAFailureOnlyLogs() throws Exception {
        new DaemonUpdates.RebootCommand(List.of(tools.reboot.toString(), "--now", "ota update"), Duration.ofSeconds(30))
                .restart("version 2 installed in slot B");
        assertEquals(List.of("--now ota update"), tools.reboots());

        Files.writeString(dir.resolve("reboot-exit"), "3");
        new DaemonUpdates.RebootCommand(List.of(tools.reboot.toString()), Duration.ofSeconds(30)).restart("failing");
        assertEquals(2, tools.reboots().size(), "run, failed, and nothing thrown");
        new DaemonUpdates.RebootCommand(List.of(dir.resolve("no-such-program").toString()), Duration.ofSeconds(30)).restart("missing");
    }
}
