package io.wattproof.agent.clock;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimesyncdSyncSourceTest {
    private static final Instant NOW = Instant.parse("2026-11-27T15:00:00Z");
    private static final Duration MAX_AGE = TimesyncdSyncSource.DEFAULT_MAX_AGE;

    @TempDir
    Path tmp;

    @Test
    void noRuntimeFolderMeansTimesyncdIsNotThere() {
        assertInstanceOf(ClockSyncStatus.Unknown.class, TimesyncdSyncSource.judge(false, Optional.empty(), NOW, MAX_AGE));
    }

    @Test
    void runningWithoutTheMarkerHasNotSynchronisedYet() {
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, TimesyncdSyncSource.judge(true, Optional.empty(), NOW, MAX_AGE));
    }

    @Test
    void aRecentMarkerIsSynchronisedAnOldOneIsNot() {
        assertInstanceOf(ClockSyncStatus.Synchronised.class,
                TimesyncdSyncSource.judge(true, Optional.of(NOW.minusSeconds(2048)), NOW, MAX_AGE));
        ClockSyncStatus stale = TimesyncdSyncSource.judge(true, Optional.of(NOW.minus(MAX_AGE).minusSeconds(1)), NOW, MAX_AGE);
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, stale);
        assertTrue(stale.reason().contains("6145 s ago"), stale.reason());
    }

    @Test
    void aMarkerDatedAfterTheClockMeansTheClockWasSetBack() {
        ClockSyncStatus s = TimesyncdSyncSource.judge(true, Optional.of(NOW.plusSeconds(3600)), NOW, MAX_AGE);
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, s);
        assertTrue(s.reason().contains("set back"), s.reason());
        // A second of filesystem timestamp granularity is not a step.
        assertInstanceOf(ClockSyncStatus.Synchronised.class,
                TimesyncdSyncSource.judge(true, Optional.of(NOW.plusSeconds(1)), NOW, MAX_AGE));
    }

    @Test
    void readsTheFolderAndTheMarkersModificationTime() throws Exception {
        Path run = tmp.resolve("timesync");
        SettableClock clock = new SettableClock(NOW);
        TimesyncdSyncSource source = new TimesyncdSyncSource(run, clock, MAX_AGE);
        assertInstanceOf(ClockSyncStatus.Unknown.class, source.status());
        Files.createDirectory(run);
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, source.status());
        Path marker = Files.createFile(run.resolve("synchronized"));
        Files.setLastModifiedTime(marker, FileTime.from(NOW.minusSeconds(60)));
        assertInstanceOf(ClockSyncStatus.Synchronised.class, source.status());
        clock.set(NOW.plus(Duration.ofDays(1)));
        assertInstanceOf(ClockSyncStatus.NotSynchronised.class, source.status());
    }
}
