package io.wattproof.agent.interval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.meter.MeterSnapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IntervalEngineTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private static MeterSnapshot snap(double importKwh, double powerW, double volts, double amps) {
        return new MeterSnapshot(importKwh, 0, powerW, new double[] {volts, volts + 1, volts + 2}, new double[] {amps, amps, amps});
    }

    @Test
    void scheduleAlignsToMultiplesOfTheLength() {
        IntervalSchedule quarter = new IntervalSchedule(900);
        assertEquals(Instant.parse("2026-11-27T10:15:00Z"), quarter.startOf(Instant.parse("2026-11-27T10:29:59.999Z")));
        assertEquals(Instant.parse("2026-11-27T10:30:00Z"), quarter.nextBoundaryAfter(Instant.parse("2026-11-27T10:15:00Z")));
        assertTrue(quarter.isBoundary(Instant.parse("2026-11-27T10:45:00Z")));
        assertTrue(!quarter.isBoundary(Instant.parse("2026-11-27T10:45:00.001Z")));
        assertThrows(IllegalArgumentException.class, () -> new IntervalSchedule(0));
        assertThrows(IllegalArgumentException.class, () -> new IntervalSchedule(86_401));
        assertThrows(IllegalArgumentException.class, () -> IntervalSchedule.of(Duration.ofMillis(1500)));
        // Before the epoch too: floor, not truncation toward zero.
        assertEquals(Instant.ofEpochSecond(-900), quarter.startOf(Instant.ofEpochSecond(-1)));
    }

    @Test
    void closesAnIntervalFromTwoOnTimeBoundaryReadsWithExtremesOfAllSamples() {
        IntervalEngine engine = new IntervalEngine(new IntervalSchedule(60), Duration.ofSeconds(5));
        assertTrue(engine.onBoundary(T0, T0.plusMillis(20), snap(10.0, 500, 229, 1)).isEmpty());
        engine.onSample(T0.plusSeconds(10), snap(10.01, 3000, 225, 13));
        engine.onSample(T0.plusSeconds(20), snap(10.02, 100, 236, 0.5));

        ClosedInterval closed = engine.onBoundary(T0.plusSeconds(60), T0.plusSeconds(61), snap(10.05, 400, 230, 2)).orElseThrow();

        assertEquals(T0, closed.start());
        assertEquals(T0.plusSeconds(60), closed.end());
        assertEquals(10_000, closed.atStart().importWh());
        assertEquals(10_050, closed.atEnd().importWh());
        assertEquals(3000, closed.extremes().peakPowerW());
        assertEquals(225, closed.extremes().minVoltageV());
        assertEquals(238, closed.extremes().maxVoltageV());
        assertEquals(0.5, closed.extremes().minCurrentA());
        assertEquals(13, closed.extremes().maxCurrentA());
        assertEquals(4, closed.extremes().samples());
        assertEquals(T0.plusSeconds(60), engine.openIntervalStart().orElseThrow());
    }

    @Test
    void aLateBoundaryReadAbandonsTheIntervalInsteadOfMisattributingEnergy() {
        IntervalEngine engine = new IntervalEngine(new IntervalSchedule(60), Duration.ofSeconds(5));
        engine.onBoundary(T0, T0, snap(1, 0, 230, 0));
        assertTrue(engine.onBoundary(T0.plusSeconds(60), T0.plusSeconds(66), snap(2, 0, 230, 0)).isEmpty());
        assertTrue(engine.openIntervalStart().isEmpty());
        // The next on-time boundary opens a fresh interval; the one after closes it.
        assertTrue(engine.onBoundary(T0.plusSeconds(120), T0.plusSeconds(120), snap(3, 0, 230, 0)).isEmpty());
        assertEquals(T0.plusSeconds(120), engine.onBoundary(T0.plusSeconds(180), T0.plusSeconds(180), snap(4, 0, 230, 0))
                .orElseThrow().start());
    }

    @Test
    void skippedBoundaryNeverClosesAnIntervalLongerThanOneLength() {
        IntervalEngine engine = new IntervalEngine(new IntervalSchedule(60), Duration.ofSeconds(5));
        engine.onBoundary(T0, T0, snap(1, 0, 230, 0));
        // The read for T0+60 never happened (meter unplugged); T0+120 must not close [T0, T0+120).
        assertTrue(engine.onBoundary(T0.plusSeconds(120), T0.plusSeconds(120), snap(2, 0, 230, 0)).isEmpty());
        assertEquals(T0.plusSeconds(120), engine.openIntervalStart().orElseThrow());
    }

    @Test
    void missedBoundaryAndSamplesOutsideTheOpenIntervalAreIgnored() {
        IntervalEngine engine = new IntervalEngine(new IntervalSchedule(60), Duration.ofSeconds(5));
        engine.onSample(T0.plusSeconds(5), snap(1, 9999, 230, 0)); // nothing open yet
        engine.onBoundary(T0, T0, snap(1, 100, 230, 0));
        engine.onSample(T0.plusSeconds(65), snap(1, 9999, 230, 0)); // belongs to the next interval
        ClosedInterval c = engine.onBoundary(T0.plusSeconds(60), T0.plusSeconds(60), snap(1, 200, 230, 0)).orElseThrow();
        assertEquals(200, c.extremes().peakPowerW());
        engine.onBoundaryMissed(T0.plusSeconds(120));
        assertTrue(engine.openIntervalStart().isEmpty());
    }

    @Test
    void rejectsNonBoundariesAndImpossibleLateness() {
        IntervalEngine engine = new IntervalEngine(new IntervalSchedule(60), Duration.ofSeconds(5));
        assertThrows(IllegalArgumentException.class, () -> engine.onBoundary(T0.plusSeconds(1), T0.plusSeconds(1), snap(1, 0, 230, 0)));
        assertThrows(IllegalArgumentException.class, () -> new IntervalEngine(new IntervalSchedule(2), Duration.ofSeconds(2)));
    }

    @Test
    void snapshotRejectsValuesThatCannotBeAReading() {
        assertThrows(IllegalArgumentException.class, () -> snap(Double.NaN, 0, 230, 0));
        assertThrows(IllegalArgumentException.class, () -> snap(-1, 0, 230, 0));
        assertThrows(IllegalArgumentException.class, () -> snap(1, Double.POSITIVE_INFINITY, 230, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new MeterSnapshot(1, 0, 0, new double[] {230}, new double[] {1, 2}));
        // float32 0.3 kWh is 0.29999998: rounds to 300 Wh, not 299.
        assertEquals(300, new MeterSnapshot((double) 0.3f, 0, 0, new double[] {230}, new double[] {0}).importWh());
    }
}
