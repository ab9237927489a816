package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Choosing, combining and caching sources. */
class ClockSyncSourcesTest {

    @Test
    void theFirstSourceThatKnowsAnswers() {
        FakeClockSyncSource timedated = new FakeClockSyncSource(new ClockSyncStatus.Unknown("no bus"));
        FakeClockSyncSource chrony = new FakeClockSyncSource(new ClockSyncStatus.NotSynchronised("chrony: not yet"));
        FakeClockSyncSource timesyncd = new FakeClockSyncSource(new ClockSyncStatus.Synchronised("timesyncd"));
        FirstAnswerClockSyncSource first = new FirstAnswerClockSyncSource(List.of(timedated, chrony, timesyncd));
        assertEquals("chrony: not yet", first.status().reason());
        assertEquals(0, timesyncd.asked(), "not asked once an earlier source knew");
        chrony.set(new ClockSyncStatus.Unknown("no chronyd"));
        timesyncd.set(new ClockSyncStatus.Unknown("no timesyncd"));
        ClockSyncStatus none = first.status();
        assertInstanceOf(ClockSyncStatus.Unknown.class, none);
        assertEquals("no bus; no chronyd; no timesyncd", none.reason());
    }

    @Test
    void answersAreReusedUntilTheyAreOldByTheMonotonicCounter() {
        FakeClockSyncSource inner = new FakeClockSyncSource(new ClockSyncStatus.Synchronised("yes"));
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 5_000_000_000L); // wraps during the test
        CachingClockSyncSource cached = new CachingClockSyncSource(inner, Duration.ofSeconds(60), nanos::get);
        assertTrue(cached.status().isSynchronised());
        inner.set(new ClockSyncStatus.NotSynchronised("lost"));
        nanos.addAndGet(59_000_000_000L);
        assertTrue(cached.status().isSynchronised(), "within a minute the first answer stands");
        assertEquals(1, inner.asked());
        nanos.addAndGet(1_000_000_000L);
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, cached.status());
        assertEquals(2, inner.asked());
    }

    @Test
    void namesOnTheCommandLine() {
        Clock clock = Clock.systemUTC();
        for (String name : ClockSyncSources.NAMES) {
            ClockSyncSources.named(name, clock);
        }
        ClockSyncStatus assumed = ClockSyncSources.named("assume-synchronised", clock).status();
        assertInstanceOf(ClockSyncStatus.Synchronised.class, assumed);
        assertEquals("assumed: --clock-sync assume-synchronised", assumed.reason());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClockSyncSources.named("ntpd", clock));
        assertEquals("clock sync source: expected one of auto, timedated, chrony, timesyncd, assume-synchronised, got \"ntpd\"",
                e.getMessage());
    }

    @Test
    void anAssumedSourceAlwaysGivesTheSameAnswer() {
        ClockSyncSource s = ClockSyncSource.assumedSynchronised("clock injected by the simulator");
        assertSame(s.status(), s.status());
        assertEquals("assumed: clock injected by the simulator", s.status().reason());
    }
}
