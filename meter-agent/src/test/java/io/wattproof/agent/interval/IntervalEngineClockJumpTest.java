package io.wattproof.agent.interval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.clock.SettableClock;
import io.wattproof.agent.meter.MeterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine fed the way the agent feeds it (a read at each tick, timed by the wall clock) while the
 * clock is stepped. Whatever the clock does, closed intervals never overlap each other or the last
 * stored record, and no interval is closed twice.
 */
class IntervalEngineClockJumpTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final IntervalSchedule MINUTE = new IntervalSchedule(60);
    private static final Duration LATENESS = Duration.ofSeconds(5);

    /** Just before T0, so the first run reads the boundary T0. */
    private final SettableClock clock = new SettableClock(T0.minusSeconds(1));
    private final List<ClosedInterval> closed = new ArrayList<>();
    private double kwh = 1;

    /** A read for {@code tick}, taken now by the clock; boundaries and samples as the agent does. */
    private void read(IntervalEngine engine, Instant tick) {
        kwh += 0.001;
        MeterSnapshot s = new MeterSnapshot(kwh, 0, 100, new double[] {230}, new double[] {1});
        if (MINUTE.isBoundary(tick)) {
            engine.onBoundary(tick, clock.instant(), s).ifPresent(closed::add);
        } else {
            engine.onSample(clock.instant(), s);
        }
    }

    /**
     * Lets the clock run on time for {@code seconds} from where it stands, reading at every multiple
     * of 10 s it passes (not at the point it starts from: that one was read, or skipped, before).
     */
    private void runFor(IntervalEngine engine, long seconds) {
        Instant from = clock.instant();
        Instant until = from.plusSeconds(seconds);
        for (Instant tick = new IntervalSchedule(10).nextBoundaryAfter(from); !tick.isAfter(until); tick = tick.plusSeconds(10)) {
            clock.set(tick);
            read(engine, tick);
        }
        clock.set(until);
    }

    /** No overlap, strictly later starts, each start at or after {@code notBefore}. */
    private void assertChainable(Instant notBefore) {
        Instant previousEnd = notBefore;
        Instant previousStart = Instant.MIN;
        for (ClosedInterval c : closed) {
            assertTrue(c.start().isAfter(previousStart), "interval " + c.start() + " after " + previousStart);
            if (previousEnd != null) {
                assertFalse(c.start().isBefore(previousEnd), "interval " + c.start() + " starts before the last one ended " + previousEnd);
            }
            previousStart = c.start();
            previousEnd = c.end();
        }
    }

    private static boolean gapBefore(ClosedInterval c, Instant previousEnd) {
        return !c.start().equals(previousEnd);
    }

    @Test
    void aSmallStepBackWithinAnIntervalKeepsIt() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS);
        runFor(engine, 30); // boundary T0 read, samples to T0+29
        clock.set(T0.plusSeconds(27)); // NTP steps the clock back 2 s
        runFor(engine, 40); // the tick T0+30 is read when the clock reaches it; T0+60 closes

        assertEquals(1, closed.size());
        assertEquals(T0, closed.get(0).start());
        assertChainable(null);
    }

    @Test
    void aStepBackAcrossABoundaryNeverReadsThatBoundaryTwice() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS);
        runFor(engine, 62); // closes [T0, T0+60), opens T0+60
        assertEquals(1, closed.size());
        clock.set(T0.plusSeconds(35)); // back 27 s: behind the open interval's start
        runFor(engine, 25); // samples before T0+60 abandon it; the boundary T0+60 comes again
        runFor(engine, 60); // T0+120 is on time but nothing is open
        runFor(engine, 60); // T0+180 closes [T0+120, T0+180)
        assertEquals(2, closed.size());
        assertEquals(T0.plusSeconds(120), closed.get(1).start());
        assertTrue(gapBefore(closed.get(1), closed.get(0).end()), "the record after the step follows a gap");
        assertChainable(null);
    }

    @Test
    void aJumpBackByADayRecordsNothingUntilTheClockPassesWhatWasRecorded() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS);
        runFor(engine, 121); // two intervals
        assertEquals(2, closed.size());
        clock.set(T0.minus(Duration.ofDays(1)));
        runFor(engine, 600); // ten boundaries of yesterday: all refused
        assertEquals(2, closed.size());
        clock.set(T0.plusSeconds(299)); // NTP puts it right
        runFor(engine, 121); // T0+300 opens, T0+360 and T0+420 close
        assertEquals(4, closed.size());
        assertChainable(null);
        assertTrue(gapBefore(closed.get(2), closed.get(1).end()));
    }

    @Test
    void aClockResetTo1970NeverRecordsBeforeTheLastRecord() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS, T0); // a record ended at T0
        clock.set(Instant.EPOCH); // RTC without battery, before NTP
        runFor(engine, 300);
        assertTrue(closed.isEmpty(), "nothing recorded in 1970: " + closed);
        clock.set(T0.plusSeconds(3599));
        runFor(engine, 121);
        assertEquals(2, closed.size());
        assertChainable(T0);
    }

    @Test
    void aJumpForwardByHoursLeavesAGapInsteadOfFabricatingIntervals() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS);
        runFor(engine, 91);
        assertEquals(1, closed.size());
        clock.set(T0.plus(Duration.ofHours(3)).plusSeconds(100)); // mid-interval, three hours on
        read(engine, T0.plusSeconds(100)); // the tick the agent had scheduled, read very late
        runFor(engine, 80); // T0+3h+120 opens, T0+3h+180 closes
        assertEquals(2, closed.size(), "one interval after the jump, none for the hours skipped");
        ClosedInterval after = closed.get(1);
        assertEquals(T0.plus(Duration.ofHours(3)).plusSeconds(120), after.start());
        assertTrue(gapBefore(after, closed.get(0).end()));
        assertChainable(null);
    }

    @Test
    void alternatingStepsNeverProduceOverlapOrRepeats() {
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS);
        Instant wall = T0;
        // Back and forth by up to ninety seconds and once by an hour, as a flapping time source would.
        long[] steps = {-50, 70, -90, 30, -3600, 3700, -5, 65, -61};
        for (long step : steps) {
            clock.set(wall);
            runFor(engine, 130); // always two boundaries: an interval closes if the engine lets it
            wall = clock.instant().plusSeconds(step);
        }
        clock.set(wall);
        int before = closed.size();
        runFor(engine, 400); // the clock runs on past everything it showed before
        assertTrue(closed.size() >= before + 3, "records resume: " + closed);
        assertChainable(null);
    }

    @Test
    void aBoundaryAtOrBeforeTheLastStoredRecordIsRefusedAfterARestart() {
        // The outbox's last record ended at T0; the agent restarts with its clock a few seconds
        // behind and reads T0 again: that boundary already ended a record and must not start one.
        IntervalEngine engine = new IntervalEngine(MINUTE, LATENESS, T0);
        clock.set(T0);
        read(engine, T0);
        assertTrue(engine.openIntervalStart().isEmpty());
        runFor(engine, 120);
        assertEquals(1, closed.size());
        assertEquals(T0.plusSeconds(60), closed.get(0).start());
        assertChainable(T0);
    }
}
