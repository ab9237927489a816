package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.DeviceId;
import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.fleet.SimulatedDevice;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over real sockets: virtual SDM630 meters on Modbus TCP, agents with software key
 * stores, file outboxes and light stores, the embedded MQTT 5 broker, the gateway and the reference
 * ledger. Every record must be in a block and verified by its own agent; dumped records are checked
 * again with the system's OpenSSL, and the dumped chain with the light client's verify-chain.
 */
class SimulationIT {
    @TempDir
    Path tmp;

    private SimulationConfig config(int meters, KeyAlgorithm alg, Path dump) {
        return new SimulationConfig(meters, Duration.ofSeconds(1), Duration.ofSeconds(12), alg, tmp.resolve("run"), dump,
                "wattproof-it", 0, ZoneId.of("Europe/Berlin"), java.util.Optional.empty());
    }

    @Test
    void threeMetersTenIntervalsEachAllVerifiedAndAuditableWithOpenSsl() throws Exception {
        Path dump = tmp.resolve("dump");
        SimulationResult result;
        long dumpedHeight;
        try (Simulation sim = Simulation.start(config(3, KeyAlgorithm.ECDSA_P256_SHA256, dump), Clock.systemUTC())) {
            awaitEveryDeviceHas(sim, 10);
            result = sim.finish(Duration.ofSeconds(15));
            dumpedHeight = sim.dumpChain(dump);
        }
        // The chain, checked from its genesis by the light client alone.
        java.io.StringWriter verifyOut = new java.io.StringWriter();
        java.io.StringWriter verifyErr = new java.io.StringWriter();
        int verifyChain = io.wattproof.lightclient.cli.LightClientCommand.run(new java.io.PrintWriter(verifyOut, true),
                new java.io.PrintWriter(verifyErr, true), "verify-chain", "--dir", dump.toString());
        assertEquals(0, verifyChain, verifyOut + "\n" + verifyErr);
        assertTrue(verifyOut.toString().contains("verified: heights 1.." + dumpedHeight + " of wattproof-it"), verifyOut.toString());
        assertEquals(result.height(), dumpedHeight);
        assertEquals(0, result.rejected(), result.summaryLine());
        assertEquals(0, result.gaps(), result.summaryLine());
        assertTrue(result.verified() >= 30, result.summaryLine());
        assertEquals(result.readings(), result.verified(), result.summaryLine());
        assertEquals(result.readings(), result.confirmed(), "after the drain every record is final: " + result.summaryLine());
        assertTrue(result.passed(), result.summaryLine());

        List<Path> deviceDirs;
        try (Stream<Path> s = Files.list(dump)) {
            deviceDirs = s.filter(p -> !p.getFileName().toString().equals("chain")).sorted().toList();
        }
        assertEquals(3, deviceDirs.size());
        Path someRecord = null;
        for (Path dir : deviceDirs) {
            long records;
            try (Stream<Path> s = Files.list(dir)) {
                records = s.filter(p -> p.toString().endsWith(".signbytes")).count();
            }
            assertTrue(records >= 10, dir + " holds " + records + " records");
            for (long seq = 1; seq <= records; seq++) {
                assertEquals(0, openSslVerify(dir, seq + ".signbytes", seq + ".sig"), "openssl on " + dir + "/" + seq);
            }
            someRecord = dir.resolve("3.signbytes");
        }
        // One changed byte and OpenSSL says no.
        byte[] bytes = Files.readAllBytes(someRecord);
        bytes[bytes.length / 2] ^= 0x01;
        Path tampered = someRecord.resolveSibling("3.tampered");
        Files.write(tampered, bytes);
        assertNotEquals(0, openSslVerify(someRecord.getParent(), "3.tampered", "3.sig"));
    }

    @Test
    void agentStoppedAndRestartedMidRunContinuesItsChainWithoutGapsOrReuse() throws Exception {
        SimulationResult result;
        DeviceId restarted;
        long before;
        try (Simulation sim = Simulation.start(config(2, KeyAlgorithm.ED25519, null), Clock.systemUTC())) {
            SimulatedDevice device = sim.devices().get(0);
            restarted = device.key().deviceId();
            awaitEveryDeviceHas(sim, 4);
            device.stopAgent();
            before = device.status().lastSequence();
            Thread.sleep(2500); // intervals pass while the agent is down
            device.startAgent();
            awaitEveryDeviceHas(sim, before + 4);
            result = sim.finish(Duration.ofSeconds(15));
            long head = sim.application().snapshot().device(restarted).orElseThrow().headSequence();
            assertEquals(sim.lastSequences().get(restarted), head, "every record of the restarted agent on the ledger");
        }
        assertTrue(result.passed(), result.summaryLine());
        assertEquals(0, result.rejected(), result.summaryLine()); // equivocation or a reused interval would be rejected
        assertEquals(0, result.gaps(), result.summaryLine());
        assertTrue(before >= 4);
    }

    @Test
    void aDeviceWhoseLinkIsCutKeepsMeteringAndDeliversEverythingOnceBack() throws Exception {
        SimulationResult result;
        long signedWhileCut;
        int depthWhileCut;
        try (Simulation sim = Simulation.start(config(2, KeyAlgorithm.ECDSA_P256_SHA256, null), Clock.systemUTC())) {
            awaitEveryDeviceHas(sim, 3);
            SimulatedDevice cutOff = sim.devices().get(1);
            long before = cutOff.status().lastSequence();
            sim.cutLink(1);
            awaitEveryDeviceHas(sim, before + 4);
            signedWhileCut = cutOff.status().lastSequence() - before;
            depthWhileCut = cutOff.status().outboxDepth();
            sim.restoreLink(1);
            awaitEveryDeviceHas(sim, cutOff.status().lastSequence() + 2);
            result = sim.finish(Duration.ofSeconds(30));
        }
        assertTrue(signedWhileCut >= 4, "kept metering while cut off: " + signedWhileCut);
        assertTrue(depthWhileCut >= 3, "records waited in the outbox while cut off: " + depthWhileCut);
        assertEquals(0, result.rejected(), result.summaryLine());
        assertEquals(0, result.gaps(), result.summaryLine());
        assertEquals(result.readings(), result.verified(), result.summaryLine());
        assertEquals(result.readings(), result.confirmed(), result.summaryLine());
    }

    /**
     * A gateway that now and then forges a header, forges a proof or withholds a receipt: every
     * forgery is detected by the agents, nothing is lost, and every record still ends final,
     * through re-submission and honest answers.
     */
    @Test
    void aLyingGatewayIsCaughtEveryTimeAndNothingIsLost() throws Exception {
        SimulationConfig config = config(3, KeyAlgorithm.ECDSA_P256_SHA256, null)
                .withLedger(LedgerSetup.DEFAULT.withByzantineGateway(true).withValsetChangeEvery(5));
        SimulationResult result;
        try (Simulation sim = Simulation.start(config, Clock.systemUTC())) {
            awaitEveryDeviceHas(sim, 10);
            result = sim.finish(Duration.ofSeconds(40));
        }
        assertTrue(result.forgeriesServed() > 0, "the gateway lied at least once: " + result.summaryLine());
        assertEquals(result.forgeriesServed(), result.forgeriesDetected(), result.summaryLine());
        assertEquals(0, result.rejected(), result.summaryLine());
        assertEquals(0, result.gaps(), result.summaryLine());
        assertEquals(result.readings(), result.confirmed(), result.summaryLine());
        assertTrue(result.passed(), result.summaryLine());
    }

    /**
     * The gateway given a CometBFT node over JSON-RPC and the NewBlock WebSocket instead of the
     * ledger in process: the run is the same, which is what moving to a CometBFT network needs.
     */
    @Test
    void theGatewayOverCometBftRpcRunsTheSameLoop() throws Exception {
        SimulationConfig config = config(2, KeyAlgorithm.ED25519, null).withLedger(LedgerSetup.DEFAULT.withGatewayViaRpc(true));
        SimulationResult result;
        try (Simulation sim = Simulation.start(config, Clock.systemUTC())) {
            assertTrue(sim.rpcUri().isPresent());
            awaitEveryDeviceHas(sim, 6);
            result = sim.finish(Duration.ofSeconds(30));
            assertTrue(sim.gatewayCounters().receiptsPublished() >= result.readings(), "receipts went out through the RPC path");
        }
        assertEquals(result.readings(), result.confirmed(), result.summaryLine());
        assertTrue(result.passed(), result.summaryLine());
    }

    @Test
    void secondRunOnTheSameFolderContinuesTheChains() throws Exception {
        SimulationConfig config = config(1, KeyAlgorithm.ECDSA_P256_SHA256, null);
        Map<DeviceId, Long> afterFirst;
        try (Simulation sim = Simulation.start(config, Clock.systemUTC())) {
            awaitEveryDeviceHas(sim, 3);
            assertEquals(0, sim.finish(Duration.ofSeconds(15)).gaps());
            afterFirst = sim.lastSequences();
        }
        long heightAfterFirst;
        try (Simulation sim = Simulation.start(config, Clock.systemUTC())) {
            long start = afterFirst.values().iterator().next();
            heightAfterFirst = sim.ledger().latestHeight();
            awaitEveryDeviceHas(sim, start + 3);
            SimulationResult second = sim.finish(Duration.ofSeconds(15));
            assertEquals(0, second.rejected(), second.summaryLine());
            assertEquals(0, second.gaps(), second.summaryLine());
            assertTrue(second.passed(), second.summaryLine());
            assertTrue(second.height() > heightAfterFirst, "the ledger continued its chain: " + second.summaryLine());
            assertEquals(afterFirst.keySet(), sim.lastSequences().keySet(), "same device identity across runs");
        }
    }

    @Test
    void commandLinePrintsProgressAndExactlyOneSummaryLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SimulatorCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "--meters", "2", "--interval", "1s", "--duration", "4s", "--key-alg", "ed25519", "--data", tmp.resolve("cli").toString(), "--http-port", "0");
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text + err);
        assertTrue(text.lines().anyMatch(l -> l.matches("dashboard at http://127\\.0\\.0\\.1:\\d+")), "the dashboard's address:\n" + text);
        List<String> summaries = text.lines().filter(l -> l.startsWith("summary:")).toList();
        assertEquals(1, summaries.size(), text);
        assertTrue(summaries.get(0).matches(
                "summary: meters=2 readings=\\d+ verified=\\d+ rejected=0 gaps=0 confirmed=\\d+ height=\\d+ forgeries_detected=0"),
                summaries.get(0));
        assertTrue(text.lines().filter(l -> l.startsWith("[")).count() >= 3, "a progress line per second:\n" + text);
    }

    @Test
    void commandLineRejectsBadArgumentsWithAClearMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, SimulatorCommand.run(System.out, errStream, "--key-alg", "rsa"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("expected p256, ed25519 or sm2, got 'rsa'"), err.toString());
        err.reset();
        assertEquals(2, SimulatorCommand.run(System.out, errStream, "--interval", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("expected a duration like 20s"), err.toString());
        err.reset();
        assertEquals(2, SimulatorCommand.run(System.out, errStream, "--http-port", "-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--http-port: expected 0..65535, got -1"), err.toString());
    }

    private static void awaitEveryDeviceHas(Simulation sim, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sim.devices().stream().anyMatch(d -> d.status() == null || d.status().lastSequence() < records)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("devices did not reach " + records + " records: " + sim.lastSequences());
            }
            Thread.sleep(50);
        }
    }

    private static int openSslVerify(Path dir, String data, String sig) throws IOException, InterruptedException {
        Path openssl = Path.of("/usr/bin/openssl");
        assertTrue(Files.isExecutable(openssl), "this test needs OpenSSL at /usr/bin/openssl (Debian package openssl)");
        String pem = Files.readString(dir.resolve("public.pem"));
        // The dump format is per algorithm: DER ECDSA for dgst, raw Ed25519 for pkeyutl.
        List<String> command = pem.length() < 150
                ? List.of(openssl.toString(), "pkeyutl", "-verify", "-pubin", "-inkey", "public.pem", "-rawin", "-in", data, "-sigfile", sig)
                : List.of(openssl.toString(), "dgst", "-sha256", "-verify", "public.pem", "-signature", sig, data);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
        return p.waitFor();
    }
}
