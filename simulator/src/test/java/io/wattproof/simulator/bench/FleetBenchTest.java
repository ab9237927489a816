package io.wattproof.simulator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FleetBenchTest {
    private static final Instant T0 = Instant.parse("2026-11-28T01:00:00Z");

    @Test
    void onlyTheWindowsRecordsAndConfirmationsCount() {
        FleetBench bench = new FleetBench();
        // Before the window: heard, not measured.
        bench.confirmed(1, T0.minusSeconds(15), T0.minusSeconds(13));
        bench.open(T0);
        // A warm-up record confirmed inside the window: counts towards the rate, not the latencies.
        bench.confirmed(2, T0.minusSeconds(1), T0.plusSeconds(1));
        bench.confirmed(3, T0.plusSeconds(15), T0.plusSeconds(17));
        bench.confirmed(4, T0.plusSeconds(15), T0.plusMillis(15_000 + 2_500));
        bench.close(T0.plusSeconds(30));
        // A window record confirmed during the drain: its latency counts, not the rate.
        bench.confirmed(5, T0.plusSeconds(29), T0.plusSeconds(33));
        // After the window: nothing.
        bench.confirmed(6, T0.plusSeconds(30), T0.plusSeconds(32));

        FleetBench.Report r = bench.report(2, Duration.ofSeconds(15));
        assertEquals(6, bench.confirmedTotal());
        assertEquals(Duration.ofSeconds(30), r.window());
        assertEquals(3, r.confirmed());
        assertEquals(0.1, r.sustainedPerSecond(), 1e-9);
        assertEquals(2.0 / 15, r.offeredPerSecond(), 1e-9);
        assertEquals(3, r.latencies());
        assertEquals(2500, r.p50Millis());
        assertEquals(4000, r.p99Millis());
        assertEquals(4000, r.maxMillis());
        assertTrue(r.line().startsWith("bench: meters=2 interval=15s window=30s offered=0.1/s sustained=0.1/s latency_p50=2500ms "
                + "latency_p99=4000ms latency_max=4000ms latencies=3 heap_per_meter="), r.line());
    }
}
