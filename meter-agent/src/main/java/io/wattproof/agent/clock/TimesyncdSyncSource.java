package io.wattproof.agent.clock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * systemd-timesyncd's marker file. systemd-timesyncd.service(8) (systemd ≥ 239):
 * {@code /run/systemd/timesync/synchronized} is "touched on each successful synchronization"; its
 * folder is the service's RuntimeDirectory, so it exists exactly while timesyncd runs. The file is
 * not removed when synchronisation is lost later, so its age is what tells: timesyncd polls at most
 * every {@code PollIntervalMaxSec} (timesyncd.conf(5), default 2048 s), and a marker older than
 * {@code maxAge} means the last synchronisations failed. A marker dated after the clock means the
 * clock was set back since it synchronised. No native code, no process: the cheapest source, and
 * the last one asked because it sees only timesyncd.
 */
public final class TimesyncdSyncSource implements ClockSyncSource {
    public static final Path RUN_DIR = Path.of("/run/systemd/timesync");
    /** Three of timesyncd's longest default poll intervals. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(3 * 2048);
    /** Filesystem timestamps and the clock read a moment later may differ by this much. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private final Path runDir;
    private final Clock clock;
    private final Duration maxAge;

    public TimesyncdSyncSource(Path runDir, Clock clock, Duration maxAge) {
        this.runDir = runDir;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    @Override
    public ClockSyncStatus status() {
        boolean running = Files.isDirectory(runDir);
        Optional<Instant> touched;
        try {
            touched = Optional.of(Files.getLastModifiedTime(runDir.resolve("synchronized"), LinkOption.NOFOLLOW_LINKS).toInstant());
        } catch (NoSuchFileException e) {
            touched = Optional.empty();
        } catch (IOException e) {
            return new ClockSyncStatus.Unknown("systemd-timesyncd: reading " + runDir.resolve("synchronized") + ": " + e);
        }
        return judge(running, touched, clock.instant(), maxAge);
    }

    /**
     * @param running whether timesyncd's runtime folder exists
     * @param touched when the marker was last touched, if it exists
     * @param now the clock being judged
     */
    public static ClockSyncStatus judge(boolean running, Optional<Instant> touched, Instant now, Duration maxAge) {
        if (!running) {
            return new ClockSyncStatus.Unknown("systemd-timesyncd: not running (no " + RUN_DIR + ")");
        }
        if (touched.isEmpty()) {
            return new ClockSyncStatus.NotSynchronised("systemd-timesyncd: running, not synchronised since it started");
        }
        Instant t = touched.get();
        if (t.isAfter(now.plus(SLACK))) {
            return new ClockSyncStatus.NotSynchronised(
                    "systemd-timesyncd: last synchronised at " + t + ", after the clock's " + now + ": the clock was set back");
        }
        Duration age = Duration.between(t, now);
        if (age.compareTo(maxAge) > 0) {
            return new ClockSyncStatus.NotSynchronised(
                    "systemd-timesyncd: last synchronised " + age.toSeconds() + " s ago, more than " + maxAge.toSeconds() + " s");
        }
        return new ClockSyncStatus.Synchronised("systemd-timesyncd: synchronised " + age.toSeconds() + " s ago");
    }
}
