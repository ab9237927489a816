package io.wattproof.agent.interval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScaledClockTest {
    @Test
    void waitsAreDividedByTheSpeed() {
        ScaledClock c = ScaledClock.startingAt(Instant.EPOCH, 100);
        assertEquals(Duration.ofMillis(10), c.realDelay(Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), ScaledClock.realDelay(Clock.systemUTC(), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> ScaledClock.startingAt(Instant.EPOCH, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ScaledClock.startingAt(Instant.EPOCH, Double.NaN));
    }

    @Test
    void realBoundsAreMultipliedByTheSpeed() {
        ScaledClock c = ScaledClock.startingAt(Instant.EPOCH, 300);
        assertEquals(Duration.ofSeconds(300), ScaledClock.simulated(c, Duration.ofSeconds(1)));
        assertEquals(Duration.ofSeconds(1), c.realDelay(ScaledClock.simulated(c, Duration.ofSeconds(1))));
        assertEquals(Duration.ofSeconds(1), ScaledClock.simulated(Clock.systemUTC(), Duration.ofSeconds(1)));
    }

    /** A clock that runs fast is not a clock being stepped: its monotonic counter runs as fast. */
    @Test
    void aStepDetectorSeesNoStepsOnAFastClock() throws Exception {
        ScaledClock c = ScaledClock.startingAt(Instant.parse("2026-11-27T00:00:00Z"), 1000);
        ClockStepDetectorProbe probe = new ClockStepDetectorProbe(c);
        for (int i = 0; i < 20; i++) {
            assertEquals(Optional.empty(), probe.observe(c.instant(), ScaledClock.monotonicNanos(c)), "tick " + i);
            Thread.sleep(5); // 5 s of the clock's time each
        }
        assertTrue(c.instant().isAfter(Instant.parse("2026-11-27T00:01:30Z")), c.instant().toString());
    }

    /** The detector the agent uses, with the agent's tolerance for {@code clock}, reached from this package. */
    private static final class ClockStepDetectorProbe {
        private final io.wattproof.agent.clock.ClockStepDetector detector;

        ClockStepDetectorProbe(Clock clock) {
            detector = new io.wattproof.agent.clock.ClockStepDetector(
                    ScaledClock.simulated(clock, io.wattproof.agent.clock.ClockStepDetector.DEFAULT_TOLERANCE));
        }

        Optional<Duration> observe(Instant wall, long monotonic) {
            return detector.observe(wall, monotonic);
        }
    }
}
