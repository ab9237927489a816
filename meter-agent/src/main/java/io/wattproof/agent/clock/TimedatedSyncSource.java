package io.wattproof.agent.clock;

import java.io.IOException;
import java.util.List;

/**
 * systemd-timedated's view of the kernel clock: {@code timedatectl show -p NTPSynchronized --value}
 * (systemd ≥ 239, where {@code show} and {@code --value} were added). org.freedesktop.timedate1(5)
 * defines NTPSynchronized as "whether the kernel reports the time as synchronized (c.f.
 * adjtimex(3))"; timedated computes it as adjtimex's {@code maxerror} below 16 s and ignores
 * {@code STA_UNSYNC}. Whichever daemon disciplines the clock (timesyncd, chronyd, ntpd) lowers
 * {@code maxerror} when it synchronises; the kernel adds 500 ppm to it every second without
 * updates, so a clock nobody has synchronised for hours reads {@code no} again. That makes this the
 * first source to ask: it sees through to the kernel and notices lost synchronisation.
 */
public final class TimedatedSyncSource implements ClockSyncSource {
    static final List<String> COMMAND = List.of("timedatectl", "show", "-p", "NTPSynchronized", "--value");

    private final CommandRunner runner;

    public TimedatedSyncSource(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public ClockSyncStatus status() {
        try {
            return parse(runner.run(COMMAND));
        } catch (IOException e) {
            return new ClockSyncStatus.Unknown("timedatectl: " + e.getMessage());
        }
    }

    /** Reads the answer of {@link #COMMAND}: {@code yes} or {@code no} on one line. */
    public static ClockSyncStatus parse(CommandRunner.Result r) {
        String out = r.stdout().strip();
        if (r.exitCode() != 0) {
            // No system bus or no systemd as PID 1 (containers, desktops without systemd), or a
            // systemd older than 239 that has no 'show'.
            return new ClockSyncStatus.Unknown("timedatectl: exit status " + r.exitCode() + ": " + firstLine(r.stderr()));
        }
        return switch (out) {
            case "yes" -> new ClockSyncStatus.Synchronised("timedated: NTPSynchronized=yes (kernel maximum error below 16 s)");
            case "no" -> new ClockSyncStatus.NotSynchronised("timedated: NTPSynchronized=no (kernel maximum error 16 s or more)");
            default -> new ClockSyncStatus.Unknown("timedatectl: expected yes or no, got \"" + firstLine(out) + "\"");
        };
    }

    static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 120 ? line.substring(0, 120) + "…" : line;
    }
}
