package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.ota.install.Slot;
import io.wattproof.ota.install.SlotState;
import io.wattproof.ota.install.SlotStore;
import io.wattproof.ota.install.Steps;
import io.wattproof.protocol.v1.Reading;
import io.wattproof.simulator.ota.OtaScenario;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update scenarios as a user runs them, on one run folder: first a sound release reaches
 * every device, then a release that cannot read the meter is rolled back everywhere. What the
 * devices ran is read from what they signed: the auditor's dump holds every reading, and each
 * carries the firmware version and the SHA-256 of the image the device booted.
 */
class OtaSimulationIT {
    @TempDir
    Path tmp;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--no-dashboard")).toArray(String[]::new));
        String console = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, console + "\n" + err.toString(StandardCharsets.UTF_8));
        return console;
    }

    /** Every reading a device signed in a run, in sequence order, from the auditor's dump. */
    private static List<Reading> readings(Path deviceDump) throws Exception {
        List<Reading> readings = new ArrayList<>();
        for (DumpedRecords.Dumped d : DumpedRecords.of(deviceDump)) {
            if (d.type().equals("wattproof/v1/Reading")) {
                readings.add(Reading.parseFrom(d.body()));
            }
        }
        return readings;
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static SlotState slots(Path device) throws Exception {
        return assertInstanceOf(SlotStore.Loaded.Found.class, new SlotStore(device.resolve("ota"), Steps.NONE).load()).state();
    }

    @Test
    void aSoundReleaseUpdatesEveryDeviceAndABadOneIsRolledBackEverywhereWhileReadingsGoOn() throws Exception {
        Path data = tmp.resolve("run");
        Path dump1 = tmp.resolve("dump1");
        String console = run("--scenario", "ota", "--meters", "3", "--duration", "10s", "--data", data.toString(), "--dump", dump1.toString());
        assertTrue(console.contains(" rejected=0 gaps=0 "), console);
        assertTrue(console.contains(" updated=3 rolled_back=0"), console);

        byte[] release2 = sha256(data.resolve("ota-release").resolve(OtaScenario.IMAGE_NAME + "-2"));
        List<Path> devices1 = DumpedRecords.devices(dump1);
        assertEquals(3, devices1.size());
        for (Path d : devices1) {
            List<Reading> r = readings(d);
            assertEquals("simulated-1", r.get(0).getFirmwareVersion(), "before the update: " + d);
            Reading last = r.get(r.size() - 1);
            assertEquals("simulated-2", last.getFirmwareVersion(), "after the update: " + d);
            assertArrayEquals(release2, last.getFirmwareHash().toByteArray(), "the hash of the image the device booted");
        }
        try (Stream<Path> s = Files.list(data.resolve("devices"))) {
            for (Path device : s.toList()) {
                SlotState state = slots(device);
                assertEquals(Slot.B, state.good());
                assertEquals(new SlotState.Content(SlotState.Condition.GOOD, 2), state.b());
                assertEquals(2, state.floor().value());
            }
        }

        // Release 3 addresses the meter at the wrong unit: no reading, no health, back to release 2.
        Path dump2 = tmp.resolve("dump2");
        console = run("--scenario", "ota-bad-health", "--meters", "3", "--duration", "15s", "--data", data.toString(), "--dump",
                dump2.toString());
        assertTrue(console.contains(" rejected=0 gaps=0 "), console);
        assertTrue(console.contains(" updated=0 rolled_back=3"), console);
        List<Path> devices2 = DumpedRecords.devices(dump2);
        assertEquals(3, devices2.size());
        for (Path d : devices2) {
            List<Reading> r = readings(d);
            assertFalse(r.isEmpty());
            assertTrue(r.stream().noneMatch(x -> x.getFirmwareVersion().equals("simulated-3")), "release 3 never signed a reading: " + d);
            assertEquals("simulated-2", r.get(r.size() - 1).getFirmwareVersion(), "signing again on release 2: " + d);
        }
        try (Stream<Path> s = Files.list(data.resolve("devices"))) {
            for (Path device : s.toList()) {
                SlotState state = slots(device);
                assertEquals(Slot.B, state.good(), "release 2 stays the good slot");
                assertEquals(new SlotState.Content(SlotState.Condition.BAD, 3), state.a());
                assertEquals(2, state.floor().value(), "a failed release does not raise the floor");
            }
        }
    }
}
