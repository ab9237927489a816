package io.wattproof.agent.gpio;

import static io.wattproof.agent.gpio.LevelDebouncer.Transition.ACTIVATED;
import static io.wattproof.agent.gpio.LevelDebouncer.Transition.NONE;
import static io.wattproof.agent.gpio.LevelDebouncer.Transition.RELEASED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LevelDebouncerTest {
    private static final long MS = 1_000_000;

    @Test
    void levelThatHoldsForTheDebounceTimeIsAcceptedAtTheNextEdge() {
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, 0);
        assertEquals(NONE, d.onLevel(true, 100 * MS));
        assertFalse(d.isActive(), "not yet known to have held");
        assertEquals(ACTIVATED, d.onLevel(false, 140 * MS));
        assertEquals(100 * MS, d.activatedAtNanos(), "the activation dates from its edge");
        assertEquals(RELEASED, d.onLevel(true, 200 * MS));
    }

    @Test
    void settleAcceptsALevelThatHasHeldWithoutAnotherEdge() {
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, 0);
        d.onLevel(true, 100 * MS);
        assertEquals(NONE, d.settle(109 * MS));
        assertEquals(ACTIVATED, d.settle(110 * MS), "exactly the debounce time is enough");
        assertEquals(NONE, d.settle(500 * MS), "accepted once");
        assertTrue(d.isActive());
    }

    @Test
    void bounceShorterThanTheDebounceTimeIsIgnored() {
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, 0);
        assertEquals(NONE, d.onLevel(true, 100 * MS));
        assertEquals(NONE, d.onLevel(false, 102 * MS)); // 2 ms high: a bounce
        assertEquals(NONE, d.onLevel(true, 103 * MS)); // 1 ms low: still bouncing
        assertEquals(ACTIVATED, d.onLevel(false, 140 * MS));
        assertEquals(103 * MS, d.activatedAtNanos());
        assertEquals(NONE, d.onLevel(true, 141 * MS)); // trailing-edge bounce
        assertEquals(NONE, d.onLevel(false, 142 * MS));
        assertEquals(RELEASED, d.settle(152 * MS));
        assertFalse(d.isActive());
    }

    @Test
    void spikeOfTheOtherLevelInsideAHeldLevelChangesNothing() {
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, 0);
        assertEquals(NONE, d.onLevel(true, 5 * MS)); // 5 ms spike while idle
        assertEquals(NONE, d.onLevel(false, 10 * MS));
        assertEquals(NONE, d.settle(100 * MS), "idle level was never left");
        assertFalse(d.isActive());
    }

    @Test
    void repeatedReportsOfTheSameLevelAreNotEdges() {
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, 0);
        d.onLevel(true, 100 * MS);
        assertEquals(NONE, d.onLevel(true, 105 * MS), "a repeated level does not restart its time");
        assertEquals(ACTIVATED, d.settle(110 * MS));
    }

    @Test
    void timesNearNanoTimeWrapAroundAreComparedByDifference() {
        long start = Long.MAX_VALUE - 5 * MS;
        LevelDebouncer d = new LevelDebouncer(10 * MS, false, start);
        d.onLevel(true, start + MS);
        assertEquals(NONE, d.settle(start + 10 * MS));
        assertEquals(ACTIVATED, d.settle(start + 11 * MS)); // wrapped past Long.MAX_VALUE
    }

    @Test
    void zeroDebounceAcceptsEveryLevelOnSettle() {
        LevelDebouncer d = new LevelDebouncer(0, false, 0);
        d.onLevel(true, 7);
        assertEquals(ACTIVATED, d.settle(7));
    }

    @Test
    void negativeDebounceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LevelDebouncer(-1, false, 0));
        assertEquals("debounce: expected ≥ 0 ns, got -1", e.getMessage());
    }
}
