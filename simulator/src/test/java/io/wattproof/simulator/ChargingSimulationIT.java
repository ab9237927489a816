package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charging scenario end to end, as {@code bin/simulate --scenario charging --piles 3 --cars 5
 * --duration 60s --dump DIR} runs it: three piles (each a meter, an
 * agent with its pile shell and a virtual relay), five cars booking through the gateway and
 * starting and stopping over MQTT, the ledger settling every session against the piles' readings.
 * Every exported OCMF session is then checked by an implementation independent of ours,
 * {@code @road-labs/ocmf} on Node.js (meter-agent/src/test/ocmf-check), and one with a changed
 * reading must be refused.
 */
class ChargingSimulationIT {
    static final Path NODE = Path.of("/usr/bin/node");
    static final Path CHECKER = Path.of("../meter-agent/src/test/ocmf-check").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void threePilesFiveCarsEverySessionSettledNoRelayViolationAndEveryOcmfExportChecksOut() throws Exception {
        Path dump = tmp.resolve("dump");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--scenario", "charging", "--piles", "3", "--cars", "5", "--duration", "60s", "--dump", dump.toString(),
                "--data", tmp.resolve("run").toString(), "--no-dashboard");
        String console = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, console + "\n" + err.toString(StandardCharsets.UTF_8));

        Matcher summary = Pattern.compile("summary: .* rejected=0 gaps=0 .* sessions=(\\d+) settled=(\\d+) disputes=0 relay_violations=0")
                .matcher(console);
        assertTrue(summary.find(), console);
        assertEquals("5", summary.group(1), "every car had its session: " + console);
        assertEquals("5", summary.group(2), console);
        // Each way a session ends, once at least.
        for (String end : List.of("LIMIT_REACHED", "STOPPED_BY_USER", "WINDOW_ENDED")) {
            assertTrue(console.contains(": " + end + " "), end + " missing in\n" + console);
        }

        Path ocmf = dump.resolve("ocmf");
        List<Path> sessions;
        try (Stream<Path> s = Files.list(ocmf)) {
            sessions = s.filter(p -> p.toString().endsWith(".ocmf")).sorted().toList();
        }
        assertEquals(5, sessions.size(), "one OCMF file per session: " + sessions);
        requireChecker();
        for (Path session : sessions) {
            Path key = pileKey(session);
            String result = check(key, session);
            assertTrue(result.contains("\"verified\":true"), session.getFileName() + " refused by @road-labs/ocmf: " + result);
        }

        // The first session with its end reading raised by 1 Wh: the signature no longer covers it.
        Path first = sessions.get(0);
        String line = Files.readString(first, StandardCharsets.UTF_8).strip();
        Matcher end = Pattern.compile("\"TX\":\"[ERA]\",\"RV\":(\\d+)\\.(\\d{3})").matcher(line);
        assertTrue(end.find(), line);
        long wh = Long.parseLong(end.group(1)) * 1000 + Long.parseLong(end.group(2)) + 1;
        String changed = line.substring(0, end.start(1)) + String.format("%d.%03d", wh / 1000, wh % 1000) + line.substring(end.end(2));
        assertFalse(changed.equals(line));
        Path forged = tmp.resolve("changed.ocmf");
        Files.writeString(forged, changed + "\n", StandardCharsets.UTF_8);
        String refused = check(pileKey(first), forged);
        assertTrue(refused.contains("\"verified\":false") && !refused.contains("\"error\""),
                "a changed reading must fail the signature: " + refused);
    }

    /** {@code <pileDeviceId>-<sequence>.ocmf} is checked with {@code <pileDeviceId>.pem} beside it. */
    private static Path pileKey(Path session) {
        String name = session.getFileName().toString();
        Path key = session.resolveSibling(name.substring(0, name.indexOf('-')) + ".pem");
        assertTrue(Files.isRegularFile(key), "no key file " + key + " for " + name);
        return key;
    }

    private String check(Path key, Path lines) throws Exception {
        Path out = Files.createTempFile(tmp, "checker", ".out");
        Path err = Files.createTempFile(tmp, "checker", ".err");
        Process p = new ProcessBuilder(NODE.toString(), "check.js", key.toString(), lines.toString())
                .directory(CHECKER.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the OCMF checker did not finish within 60 s");
        }
        assertEquals(0, p.exitValue(), "checker failed: " + Files.readString(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void requireChecker() {
        if (!Files.isExecutable(NODE)) {
            fail("the OCMF check needs Node.js at " + NODE + "; install the Debian package nodejs");
        }
        if (!Files.isDirectory(CHECKER.resolve("node_modules/@road-labs/ocmf"))) {
            fail("the OCMF check: " + CHECKER.resolve("node_modules") + " is missing @road-labs/ocmf; run `npm ci` in " + CHECKER
                    + " (.ci/run does it before the tests)");
        }
    }
}
