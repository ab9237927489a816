package io.wattproof.simulator.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.crypto.KeyAlgorithm;
import io.wattproof.simulator.LedgerSetup;
import io.wattproof.simulator.Simulation;
import io.wattproof.simulator.SimulationConfig;
import io.wattproof.simulator.SimulationResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fault injected by hand (from the dashboard) that would outlast the run ends with it, and nothing is lost. */
class FaultInjectorIT {
    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void faultsThatWouldOutlastTheRunEndWhenItEndsAndTheirMetersCatchUp(@TempDir Path folder) throws Exception {
        SimulationConfig config = new SimulationConfig(2, Duration.ofSeconds(1), Duration.ofSeconds(10), KeyAlgorithm.ECDSA_P256_SHA256,
                folder.resolve("run"), null, "wattproof-sim", 0, ZoneId.systemDefault(), Optional.empty(), LedgerSetup.DEFAULT);
        List<String> lines = new CopyOnWriteArrayList<>();
        SimulationResult result;
        try (Simulation sim = Simulation.start(config, Clock.systemUTC()); FaultInjector faults = new FaultInjector(sim, lines::add)) {
            await(() -> sim.devices().get(0).status() != null && sim.devices().get(0).status().lastSequence() >= 1, "meter 1 signs");
            faults.inject(new Fault.PowerCut(1, Duration.ofMinutes(10)));
            faults.inject(new Fault.Partition(List.of(2), Duration.ofMinutes(10)));
            await(() -> !sim.devices().get(0).agentRunning(), "meter 1's agent stops");
            Thread.sleep(2_000); // records pile up behind the cut link of meter 2
            assertFalse(faults.awaitEnded(System.nanoTime()), "both faults still last");

            faults.endNow();
            assertTrue(faults.awaitEnded(System.nanoTime() + Duration.ofSeconds(30).toNanos()));
            assertTrue(sim.devices().get(0).agentRunning(), "meter 1's agent started again");
            assertEquals(2, lines.stream().filter(l -> l.endsWith(": ended early: the run is over")).count(), lines.toString());
            faults.endNow();
            assertEquals(2, lines.stream().filter(l -> l.contains(": ended")).count(), "nothing ends twice: " + lines);
            result = sim.finish(Duration.ofSeconds(60));
        }
        assertEquals(0, result.rejected());
        assertEquals(0, result.gaps());
        assertEquals(result.readings(), result.confirmed(), "every record signed while the faults lasted reached the ledger");
    }
}
