package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClockStepDetectorTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long S = 1_000_000_000L;

    @Test
    void wallAndMonotonicMovingTogetherIsNoStep() {
        ClockStepDetector d = new ClockStepDetector(Duration.ofSeconds(1));
        long mono = Long.MAX_VALUE - 5 * S; // nanoTime wraps during the test
        assertTrue(d.observe(T0, mono).isEmpty(), "nothing to compare with yet");
        assertTrue(d.observe(T0.plusSeconds(10), mono + 10 * S).isEmpty());
        // Slewing and a late timer: 0.83 s apart over 10 s (chrony's fastest default slew) is no step.
        assertTrue(d.observe(T0.plusSeconds(20).plusMillis(830), mono + 20 * S).isEmpty());
    }

    @Test
    void stepsBackAndForwardAreMeasuredWithTheirSign() {
        ClockStepDetector d = new ClockStepDetector(Duration.ofSeconds(1));
        d.observe(T0, 0);
        assertEquals(Optional.of(Duration.ofSeconds(-3)), d.observe(T0.plusSeconds(7), 10 * S), "set back 3 s");
        assertEquals(Optional.of(Duration.ofMinutes(5)), d.observe(T0.plusSeconds(317), 20 * S), "forward 5 min");
        Instant epoch = Instant.EPOCH;
        Optional<Duration> reset = d.observe(epoch, 30 * S);
        assertEquals(Duration.between(T0.plusSeconds(327), epoch), reset.orElseThrow(), "RTC reset to 1970");
        assertTrue(d.observe(epoch.plusSeconds(10), 40 * S).isEmpty(), "and from there on it runs normally");
    }

    @Test
    void aStepInsideAnIntervalAbandonsIt() {
        // What the agent does with a detected step: the interval would otherwise be closed with a
        // length in real time that its stamps do not show.
        io.wattproof.agent.interval.IntervalEngine engine =
                new io.wattproof.agent.interval.IntervalEngine(new io.wattproof.agent.interval.IntervalSchedule(60), Duration.ofSeconds(5));
        io.wattproof.agent.meter.MeterSnapshot s =
                new io.wattproof.agent.meter.MeterSnapshot(1, 0, 0, new double[] {230}, new double[] {1});
        engine.onBoundary(T0, T0, s);
        engine.onClockStep();
        assertTrue(engine.openIntervalStart().isEmpty());
        assertTrue(engine.onBoundary(T0.plusSeconds(60), T0.plusSeconds(60), s).isEmpty(), "nothing closes over the step");
        assertEquals(T0.plusSeconds(60), engine.openIntervalStart().orElseThrow());
    }
}
