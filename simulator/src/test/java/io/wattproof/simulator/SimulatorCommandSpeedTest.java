package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private record Outcome(int code, String out, String err) {}

    private Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private void assertRefused(String expectedMessage, String... args) throws Exception {
        Path data = tmp.resolve("run");
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--data", data.toString()))
                .toArray(String[]::new);
        Outcome o = run(all);
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains(expectedMessage), o.err());
        assertTrue(Files.notExists(data), "nothing is started for a refused command line");
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
        Outcome o = run("--help");
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
