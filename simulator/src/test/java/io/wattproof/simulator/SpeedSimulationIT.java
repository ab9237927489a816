package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.protocol.v1.Reading;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time compression as a user runs it: 15-minute intervals at speed 300, so an interval takes 3 s
 * of real time. What the devices signed is read from the auditor's dump: consecutive readings
 * must start exactly one simulated interval apart, although the agents, the meters and the ledger
 * ran 300 times faster than real time. A second run on the same folder starts after the first
 * run's block times, which lie ahead of the real clock, and continues every chain.
 */
class SpeedSimulationIT {
    private static final long INTERVAL_SECONDS = 900;
    private static final Pattern SUMMARY = Pattern.compile("summary: meters=(\\d+) readings=(\\d+) verified=(\\d+) rejected=(\\d+) gaps=(\\d+) "
            + "confirmed=(\\d+) ");

    @TempDir
    Path tmp;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        String console = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, console + "\n" + err.toString(StandardCharsets.UTF_8));
        return console;
    }

    /** rejected=0, gaps=0 and at least 90 % of the readings confirmed by their own agents. */
    private static long assertSummaryPasses(String console, long minReadings) {
        Matcher m = SUMMARY.matcher(console);
        assertTrue(m.find(), console);
        long readings = Long.parseLong(m.group(2));
        assertEquals("0", m.group(4), "rejected: " + console);
        assertEquals("0", m.group(5), "gaps: " + console);
        assertTrue(readings >= minReadings, "readings: " + console);
        assertTrue(Long.parseLong(m.group(6)) * 10 >= readings * 9, "confirmed: " + console);
        return readings;
    }

    /** Every reading a device signed in a run, in sequence order, from the auditor's dump. */
    /** Every record of the device is a Reading. */
    private static List<Reading> readings(Path deviceDump) throws Exception {
        List<Reading> readings = new ArrayList<>();
        for (DumpedRecords.Dumped d : DumpedRecords.of(deviceDump)) {
            assertEquals("wattproof/v1/Reading", d.type(), d.file().toString());
            readings.add(Reading.parseFrom(d.body()));
        }
        return readings;
    }

    /** Consecutive sequences, each a whole 15-minute interval on the boundary grid, one interval after the one before. */
    private static void assertFifteenMinutesApart(Path device, List<Reading> r) {
        for (int i = 0; i < r.size(); i++) {
            Reading x = r.get(i);
            assertEquals(INTERVAL_SECONDS, x.getIntervalSeconds(), device + " #" + x.getSequence());
            assertEquals(0, x.getIntervalStart() % INTERVAL_SECONDS, device + " #" + x.getSequence() + " starts on a boundary");
            if (i > 0) {
                Reading before = r.get(i - 1);
                assertEquals(before.getSequence() + 1, x.getSequence(), device.toString());
                assertEquals(before.getIntervalStart() + INTERVAL_SECONDS, x.getIntervalStart(),
                        device + " #" + x.getSequence() + " starts one simulated interval after #" + before.getSequence());
            }
        }
    }

    @Test
    void fifteenMinuteIntervalsAtSpeed300AreAllVerifiedAndFifteenSimulatedMinutesApart() throws Exception {
        Path data = tmp.resolve("run");
        Path dump1 = tmp.resolve("dump1");
        String console = run("--meters", "2", "--interval", "15m", "--speed", "300", "--duration", "90m", "--no-dashboard", "--data", data.toString(),
                "--dump", dump1.toString());
        assertTrue(console.contains(" interval=900s duration=5400s speed=300 (duration 18s real) "), console);
        assertTrue(console.contains("runs 300 times faster than real time"), console);
        assertSummaryPasses(console, 2 * 4);

        List<Path> devices = DumpedRecords.devices(dump1);
        assertEquals(2, devices.size());
        List<Long> lastStart = new ArrayList<>();
        for (Path d : devices) {
            List<Reading> r = readings(d);
            assertTrue(r.size() >= 4, d + " holds " + r.size() + " readings");
            assertFifteenMinutesApart(d, r);
            lastStart.add(r.get(r.size() - 1).getIntervalStart());
        }

        // The first run's blocks are about 1.5 simulated hours ahead of the real clock now.
        Path dump2 = tmp.resolve("dump2");
        String again = run("--meters", "2", "--interval", "15m", "--speed", "300", "--duration", "45m", "--no-dashboard", "--data", data.toString(),
                "--dump", dump2.toString());
        assertSummaryPasses(again, 2 * 2);
        List<Path> devices2 = DumpedRecords.devices(dump2);
        assertEquals(devices, devices2.stream().map(p -> dump1.resolve(p.getFileName())).toList());
        for (int i = 0; i < devices2.size(); i++) {
            List<Reading> r = readings(devices2.get(i));
            assertTrue(r.size() >= 2, devices2.get(i) + " holds " + r.size() + " readings");
            assertFifteenMinutesApart(devices2.get(i), r);
            assertTrue(r.get(0).getIntervalStart() > lastStart.get(i), "the second run meters after the first: " + devices2.get(i));
        }
    }
}
