package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wattproof.crypto.KeyAlgorithm;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wiring of {@code --broker} and the lightweight hosting: agents reading their meters in
 * process, connected straight to an outside Mosquitto, the gateway on the same broker. Every record
 * must reach the ledger and come back verified to its own agent, and the bench must hear each
 * confirmation once. (Platform threads: the virtual-thread switch is process-wide and would outlive
 * this test in the shared JVM.)
 */
class ExternalBrokerSimulationIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path tmp;

    @Test
    void aSmallFleetOnMosquittoHasEveryRecordVerifiedByItsAgent() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed at " + MOSQUITTO);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = Files.writeString(tmp.resolve("mosquitto.conf"), "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
        Process mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("mosquitto.log").toFile()).start();
        try {
            awaitListening(port);
            FleetHosting hosting = new FleetHosting(Optional.of("tcp://127.0.0.1:" + port), false, true, false, true);
            SimulationConfig config = new SimulationConfig(3, Duration.ofSeconds(1), Duration.ofSeconds(5), KeyAlgorithm.ED25519,
                    tmp.resolve("run"), null, "wattproof-it", 0, ZoneOffset.UTC, Optional.empty()).withHosting(hosting);
            SimulationResult result;
            long heard;
            try (Simulation sim = Simulation.start(config, Clock.systemUTC())) {
                assertEquals("tcp://127.0.0.1:" + port, sim.brokerUri());
                Thread.sleep(config.duration().toMillis());
                result = sim.finish(Duration.ofSeconds(20));
                heard = sim.bench().confirmedTotal();
            }
            assertTrue(result.passed(), result.summaryLine() + " " + result.failures());
            assertTrue(result.readings() >= 3, result.summaryLine());
            assertEquals(result.readings(), result.confirmed(), result.summaryLine());
            assertEquals(result.confirmed(), heard, "the bench hears every confirmation once");
            assertTrue(Files.notExists(tmp.resolve("run").resolve("broker")), "no embedded broker was started");
        } finally {
            mosquitto.destroy();
            mosquitto.waitFor();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("mosquitto did not listen on " + port + " within 10 s");
    }
}
