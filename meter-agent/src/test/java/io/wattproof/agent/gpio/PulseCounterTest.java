package io.wattproof.agent.gpio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.wattproof.agent.meter.PulseCount;
import org.junit.jupiter.api.Test;

class PulseCounterTest {
    private static final long MS = 1_000_000;

    /** A clean pulse of {@code widthMs} starting at {@code atMs}. */
    private static void pulse(PulseCounter c, long atMs, long widthMs) {
        c.onLevel(true, atMs * MS);
        c.onLevel(false, (atMs + widthMs) * MS);
    }

    @Test
    void countsPulsesAndMeasuresThePeriodBetweenLeadingEdges() {
        PulseCounter c = new PulseCounter(10 * MS, false, 0);
        pulse(c, 1000, 30);
        pulse(c, 4600, 30);
        PulseCount n = c.count(5000 * MS);
        assertEquals(2, n.pulses());
        assertEquals(3600 * MS, n.lastPeriodNanos());
        assertEquals(400 * MS, n.sinceLastPulseNanos());
    }

    @Test
    void bouncesOnBothEdgesCountOnePulse() {
        PulseCounter c = new PulseCounter(10 * MS, false, 0);
        c.onLevel(true, 100 * MS);
        c.onLevel(false, 101 * MS);
        c.onLevel(true, 102 * MS);
        c.onLevel(false, 140 * MS);
        c.onLevel(true, 141 * MS);
        c.onLevel(false, 142 * MS);
        assertEquals(1, c.count(1000 * MS).pulses());
    }

    @Test
    void pulsesShorterThanTheDebounceTimeAreRejected() {
        PulseCounter c = new PulseCounter(10 * MS, false, 0);
        for (int i = 0; i < 50; i++) {
            pulse(c, 100 + i * 100, 5);
        }
        assertEquals(0, c.count(10_000 * MS).pulses());
    }

    @Test
    void pulseStillInProgressCountsOnceItHasHeld() {
        PulseCounter c = new PulseCounter(10 * MS, false, 0);
        c.onLevel(true, 100 * MS);
        assertEquals(0, c.count(105 * MS).pulses());
        assertEquals(1, c.count(110 * MS).pulses());
        c.onLevel(false, 130 * MS);
        assertEquals(1, c.count(200 * MS).pulses(), "its trailing edge does not count it again");
    }

    @Test
    void inputAlreadyInThePulseStateAtStartIsNotAPulse() {
        PulseCounter c = new PulseCounter(10 * MS, true, 0);
        c.onLevel(false, 20 * MS);
        assertEquals(0, c.count(100 * MS).pulses());
        pulse(c, 200, 30);
        assertEquals(1, c.count(300 * MS).pulses());
    }

    @Test
    void noPulseYetMeansNoPeriod() {
        PulseCount n = new PulseCounter(10 * MS, false, 0).count(10_000 * MS);
        assertEquals(new PulseCount(0, 0, 0), n);
    }
}
