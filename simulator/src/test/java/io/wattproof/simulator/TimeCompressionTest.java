package io.wattproof.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wattproof.agent.AgentConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimeCompressionTest {
    private static final Duration FIFTEEN_MINUTES = Duration.ofMinutes(15);

    @Test
    void speedOutsideItsRangeIsRefusedNamingTheField() {
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> new TimeCompression(0));
        assertEquals("speed: expected 1..10000, got 0", low.getMessage());
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class, () -> new TimeCompression(10_001));
        assertEquals("speed: expected 1..10000, got 10001", high.getMessage());
        assertTrue(new TimeCompression(10_000).intervalProblem(Duration.ofHours(1)).isEmpty());
    }

    @Test
    void simulatedAndRealConvertBothWays() {
        TimeCompression k = new TimeCompression(300);
        assertEquals(Duration.ofSeconds(3), k.real(FIFTEEN_MINUTES));
        assertEquals(Duration.ofSeconds(24), k.real(Duration.ofHours(2)));
        assertEquals(Duration.ofMinutes(5), k.simulated(Duration.ofSeconds(1)));
        // A simulated day of 15-minute intervals in under five minutes.
        assertEquals(Duration.ofSeconds(288), k.real(Duration.ofDays(1)));
    }

    @Test
    void anIntervalShorterThanATenthOfASecondInRealTimeIsRefusedWithTheHighestSpeedItAllows() {
        assertEquals(Optional.empty(), new TimeCompression(10).intervalProblem(Duration.ofSeconds(1)));
        assertEquals(Optional.of("expected at most 10 for a 1 s interval (each interval at least 100 ms in real time), got 11"),
                new TimeCompression(11).intervalProblem(Duration.ofSeconds(1)));
        assertEquals(Optional.empty(), new TimeCompression(9000).intervalProblem(FIFTEEN_MINUTES));
        assertTrue(new TimeCompression(9001).intervalProblem(FIFTEEN_MINUTES).orElseThrow().startsWith("expected at most 9000 "));
    }

    @Test
    void atRealTimeTheAgentSettingsAreTheAgentsOwnDefaults() {
        TimeCompression real = TimeCompression.REAL_TIME;
        assertTrue(real.isRealTime());
        for (long seconds : new long[] {1, 2, 7, 10, 60, 900, 3600, 86400}) {
            Duration interval = Duration.ofSeconds(seconds);
            AgentConfig defaults = AgentConfig.builder(Path.of("unused")).chainId("c").interval(interval).build();
            assertEquals(defaults.samplePeriod(), real.samplePeriod(interval), "sample period of " + interval);
            assertEquals(defaults.maxLateness(), real.maxLateness(interval), "max lateness of " + interval);
        }
        assertEquals(Duration.ofSeconds(5), real.receiptTimeout(Duration.ofSeconds(5)));
    }

    @Test
    void fasterTheAgentSamplesLessOftenInSimulatedTimeButNotMoreOftenThanEvery50MsReally() {
        // 50 ms real = 15 s simulated at speed 300; 15 divides 900.
        assertEquals(Duration.ofSeconds(15), new TimeCompression(300).samplePeriod(FIFTEEN_MINUTES));
        // 50 ms real = 450 s simulated at speed 9000, half the interval: two samples per interval.
        assertEquals(Duration.ofSeconds(450), new TimeCompression(9000).samplePeriod(FIFTEEN_MINUTES));
        // Always a divisor of the interval, as AgentConfig requires.
        for (int speed : new int[] {2, 7, 33, 100, 1000, 9000}) {
            Duration p = new TimeCompression(speed).samplePeriod(FIFTEEN_MINUTES);
            assertEquals(0, 900 % p.toSeconds(), speed + ": " + p);
        }
        assertEquals(Duration.ofSeconds(1), new TimeCompression(10).samplePeriod(Duration.ofSeconds(1)));
    }

    @Test
    void fasterALateBoundaryReadIsJudgedInRealTimeButNeverBeyondHalfAnInterval() {
        // 250 ms real at speed 300 = 75 s simulated.
        assertEquals(Duration.ofSeconds(75), new TimeCompression(300).maxLateness(FIFTEEN_MINUTES));
        assertEquals(Duration.ofSeconds(5), new TimeCompression(2).maxLateness(FIFTEEN_MINUTES));
        assertEquals(Duration.ofSeconds(450), new TimeCompression(9000).maxLateness(FIFTEEN_MINUTES));
    }

    @Test
    void theReceiptTimeoutIsRealTimeSoTheAgentWaitsAsLongInRealTimeAtAnySpeed() {
        TimeCompression k1000 = new TimeCompression(1000);
        Duration onAgentClock = k1000.receiptTimeout(Duration.ofSeconds(5));
        assertEquals(Duration.ofSeconds(5000), onAgentClock);
        assertEquals(Duration.ofSeconds(5), k1000.real(onAgentClock));
    }

    @Test
    void settlementWaitsTwoIntervalsOrTwoBlocksAndTwoSecondsOfRealTime() {
        assertEquals(4, TimeCompression.REAL_TIME.settlementDelaySeconds(Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals(1800, TimeCompression.REAL_TIME.settlementDelaySeconds(FIFTEEN_MINUTES, Duration.ofSeconds(1)));
        assertEquals(1800, new TimeCompression(300).settlementDelaySeconds(FIFTEEN_MINUTES, Duration.ofSeconds(1)));
        assertEquals(4000, new TimeCompression(1000).settlementDelaySeconds(FIFTEEN_MINUTES, Duration.ofSeconds(1)));
    }

    @Test
    void aRunStartsNowUnlessTheChainItContinuesIsAhead() {
        Instant now = Instant.parse("2026-11-28T00:00:00Z");
        assertEquals(now, TimeCompression.startAt(now, Optional.empty()));
        assertEquals(now, TimeCompression.startAt(now, Optional.of(now.minusSeconds(60))));
        Instant ahead = now.plus(Duration.ofDays(30));
        assertEquals(ahead.plusSeconds(1), TimeCompression.startAt(now, Optional.of(ahead)));
        assertEquals(now.plusSeconds(1), TimeCompression.startAt(now, Optional.of(now)));
        assertFalse(TimeCompression.startAt(now, Optional.of(ahead)).isBefore(ahead));
    }
}
