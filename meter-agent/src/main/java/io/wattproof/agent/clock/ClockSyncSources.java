package io.wattproof.agent.clock;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The sources the command line can name, and the automatic choice among them. */
public final class ClockSyncSources {
    /** The names {@link #named} understands, as the command line lists them. */
    public static final List<String> NAMES = List.of("auto", "timedated", "chrony", "timesyncd", "assume-synchronised");
    /** How long one answer is used before a time service is asked again. */
    public static final Duration ASK_EVERY = Duration.ofSeconds(60);
    /** How long a time service may take to answer before it counts as unknown. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private ClockSyncSources() {}

    /**
     * timedated first (the kernel's view, whichever daemon keeps the clock), then chrony, then
     * timesyncd's marker file; the first that knows answers, asked at most once a minute.
     */
    public static ClockSyncSource auto(Clock clock) {
        CommandRunner runner = new ProcessCommandRunner(COMMAND_TIMEOUT);
        return new CachingClockSyncSource(new FirstAnswerClockSyncSource(List.of(
                new TimedatedSyncSource(runner),
                new ChronySyncSource(runner),
                new TimesyncdSyncSource(TimesyncdSyncSource.RUN_DIR, clock, TimesyncdSyncSource.DEFAULT_MAX_AGE))), ASK_EVERY);
    }

    /**
     * @param name one of {@link #NAMES}
     * @throws IllegalArgumentException naming the expected values for any other name
     */
    public static ClockSyncSource named(String name, Clock clock) {
        CommandRunner runner = new ProcessCommandRunner(COMMAND_TIMEOUT);
        return switch (name) {
            case "auto" -> auto(clock);
            case "timedated" -> new CachingClockSyncSource(new TimedatedSyncSource(runner), ASK_EVERY);
            case "chrony" -> new CachingClockSyncSource(new ChronySyncSource(runner), ASK_EVERY);
            case "timesyncd" -> new TimesyncdSyncSource(TimesyncdSyncSource.RUN_DIR, clock, TimesyncdSyncSource.DEFAULT_MAX_AGE);
            case "assume-synchronised" -> ClockSyncSource.assumedSynchronised("--clock-sync assume-synchronised");
            default -> throw new IllegalArgumentException("clock sync source: expected one of " + String.join(", ", NAMES)
                    + ", got \"" + name + "\"");
        };
    }
}
