package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --speed} is checked before anything starts: exit status 2, a message naming the option, nothing created. */
class SimulatorCommandSpeedTest {
    @TempDir
    Path tmp;

    private void assertRefused(String expectedMessage, String... args) {
        RefusedCommandLines.assertRefused(tmp, expectedMessage, args);
    }

    @Test
    void speedOutOfRangeIsRefused() throws Exception {
        assertRefused("--speed: expected 1..10000, got 0", "--speed", "0");
        assertRefused("--speed: expected 1..10000, got 20000", "--speed", "20000", "--interval", "1h");
        assertRefused("--speed: expected 1..10000, got -3", "--speed", "-3");
    }

    @Test
    void speedThatIsNoNumberIsRefused() throws Exception {
        assertRefused("'fast'", "--speed", "fast");
    }

    @Test
    void anIntervalTooShortInRealTimeIsRefusedWithTheHighestSpeedItAllows() throws Exception {
        assertRefused("--speed: expected at most 10 for a 1 s interval (each interval at least 100 ms in real time), got 300",
                "--speed", "300");
        assertRefused("--speed: expected at most 9000 for a 900 s interval", "--speed", "10000", "--interval", "15m");
    }

    @Test
    void onlyTheMeteringScenarioRunsCompressed() throws Exception {
        assertRefused("--speed: expected 1 with --scenario charging (only the metering scenario runs compressed), got 100",
                "--speed", "100", "--interval", "15m", "--scenario", "charging");
        assertRefused("--speed: expected 1 with --scenario ota", "--speed", "100", "--interval", "15m", "--scenario", "ota");
    }

    @Test
    void theHelpSaysWhatRunsOnSimulatedTime() {
        RefusedCommandLines.Outcome o = RefusedCommandLines.run("--help");
        assertEquals(0, o.code());
        assertTrue(o.out().contains("--speed=K"), o.out());
        assertTrue(o.out().contains("--interval and --duration are simulated time"), o.out());
    }

    @Test
    void theConfigurationRefusesWhatTheCommandLineRefuses() {
        SimulationConfig base = new SimulationConfig(2, Duration.ofMinutes(15), Duration.ofHours(2), io.wattproof.crypto.KeyAlgorithm.ED25519,
                tmp.resolve("run"), null, "c", 0, ZoneId.of("UTC"), Optional.empty());
        assertEquals(1, base.speed());
        assertEquals(300, base.withSpeed(300).speed());
        assertEquals(300, base.withSpeed(300).withLedger(LedgerSetup.DEFAULT).speed(), "kept by the other withers");
        IllegalArgumentException range = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> base.withSpeed(0));
        assertEquals("speed: expected 1..10000, got 0", range.getMessage());
        IllegalArgumentException charging = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> base.withSpeed(10).withCharging(new SimulationConfig.ChargingSetup(2, 2)));
        assertEquals("speed: expected 1 in the charging scenario (it runs at real time only), got 10", charging.getMessage());
    }
}
