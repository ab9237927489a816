package io.wattproof.agent.uplink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    /** Always draws the top of the range, so the delays show the caps. */
    private static final class Highest implements RandomGenerator {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }

    private static ReconnectBackoff backoff(RandomGenerator random) {
        return new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60), random);
    }

    @Test
    void capsDoubleFromBaseUpToMax() {
        ReconnectBackoff b = backoff(new Highest());
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            delays.add(b.nextDelay().toMillis());
        }
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L, 30_000L), delays);
        assertEquals(10, b.attempts());
    }

    @Test
    void delaysAreSpreadOverTheWholeWindow() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ZERO, new Random(42));
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long d = b.nextDelay().toMillis();
            assertTrue(d >= 0 && d <= 10_000, "delay out of [0, 10000] ms: " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        // Full jitter: the draws reach both ends of the window, not only its upper half.
        assertTrue(min < 500, "smallest of 2000 draws: " + min);
        assertTrue(max > 9_500, "largest of 2000 draws: " + max);
    }

    @Test
    void sameSeedSameDelays() {
        ReconnectBackoff a = backoff(new Random(7));
        ReconnectBackoff b = backoff(new Random(7));
        for (int i = 0; i < 20; i++) {
            assertEquals(a.nextDelay(), b.nextDelay());
        }
    }

    @Test
    void aStableConnectionStartsOverFromBase() {
        ReconnectBackoff b = backoff(new Highest());
        for (int i = 0; i < 5; i++) {
            b.nextDelay();
        }
        b.connected(T0);
        b.disconnected(T0.plusSeconds(60));
        assertEquals(Duration.ofMillis(500), b.nextDelay());
    }

    @Test
    void aConnectionDroppedAtOnceKeepsBackingOff() {
        // The broker accepts the connection and closes it at the first publish (a denied topic
        // over TLS): each short-lived connection must not reset the back-off.
        ReconnectBackoff b = backoff(new Highest());
        Instant now = T0;
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            b.connected(now);
            now = now.plusMillis(20);
            b.disconnected(now);
            delays.add(b.nextDelay().toMillis());
        }
        assertEquals(List.of(500L, 1_000L, 2_000L, 4_000L), delays);
    }

    @Test
    void aLossWithoutAConnectionDoesNotReset() {
        ReconnectBackoff b = backoff(new Highest());
        b.nextDelay();
        b.disconnected(T0);
        assertEquals(Duration.ofSeconds(1), b.nextDelay());
    }

    @Test
    void hugeAttemptCountsStayAtMax() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofDays(1), Duration.ofDays(2), Duration.ZERO, new Highest());
        for (int i = 0; i < 100; i++) {
            b.nextDelay();
        }
        assertEquals(Duration.ofDays(2), b.nextDelay());
    }

    @Test
    void invalidSettingsAreRefusedWithTheirValues() {
        Random r = new Random(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, r));
        assertEquals("base: expected > 0, got PT0S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, r));
        assertEquals("max: expected >= base PT2S, got PT1S", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(-1), r));
        assertEquals("stableAfter: expected >= 0, got PT-1S", e.getMessage());
    }
}
