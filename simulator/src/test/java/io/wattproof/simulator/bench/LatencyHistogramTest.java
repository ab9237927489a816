package io.wattproof.simulator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreNearestRankToTheMillisecond() {
        LatencyHistogram h = new LatencyHistogram();
        for (int ms = 1; ms <= 100; ms++) {
            h.record(ms);
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(100, s.count());
        assertEquals(50, s.percentile(50));
        assertEquals(99, s.percentile(99));
        assertEquals(100, s.percentile(100));
        assertEquals(1, s.percentile(0.5));
        assertEquals(100, s.max());
    }

    @Test
    void aSkewedDistributionHasItsTailInTheNinetyNinthPercentile() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 990; i++) {
            h.record(2000);
        }
        for (int i = 0; i < 10; i++) {
            h.record(7000);
        }
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(2000, s.percentile(50));
        assertEquals(2000, s.percentile(99));
        assertEquals(7000, s.percentile(99.5));
        assertEquals(7000, s.max());
    }

    @Test
    void negativeLatenciesCountAsZeroAndOnesAboveTheCapLandAboveIt() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(LatencyHistogram.MAX_MILLIS + 1_000_000L);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(0, s.percentile(50));
        assertEquals(LatencyHistogram.MAX_MILLIS + 1, s.percentile(100));
        assertEquals(LatencyHistogram.MAX_MILLIS + 1, s.max());
    }

    @Test
    void aWindowIsTheDifferenceOfTwoSnapshots() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(10_000); // warm-up
        LatencyHistogram.Snapshot start = h.snapshot();
        h.record(100);
        h.record(300);
        LatencyHistogram.Snapshot window = h.snapshot().minus(start);
        assertEquals(2, window.count());
        assertEquals(100, window.percentile(50));
        assertEquals(300, window.max());
    }

    @Test
    void anEmptyHistogramHasNoPercentile() {
        LatencyHistogram.Snapshot s = new LatencyHistogram().snapshot();
        assertEquals(0, s.count());
        assertEquals(-1, s.percentile(99));
        assertEquals(-1, s.max());
    }

    @Test
    void aPercentileOutOfRangeIsRefused() {
        LatencyHistogram.Snapshot s = new LatencyHistogram().snapshot();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> s.percentile(0));
        assertEquals("percentile: expected 0 < p <= 100, got 0.0", zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.percentile(100.5));
        assertThrows(IllegalArgumentException.class, () -> s.percentile(Double.NaN));
    }
}
